package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.WorkerRequest.Ask;
import dev.bootcluster.ipc.WorkerMetersListener;
import dev.bootcluster.launch.WorkerEnvironment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * What the primary learns from its workers beside their lifecycle: a worker's thread
 * dump and logger levels, asked for and answered over the control channel, and the
 * meters each worker reports after its heartbeats. Logger levels set here hold for the
 * whole cluster: for the workers running now and for every worker forked later.
 */
public final class WorkerQueries implements WorkerChannels.Reports {

	private static final Log logger = LogFactory.getLog(WorkerQueries.class);

	private final WorkerRequests requests;

	private final Supplier<List<Integer>> connected;

	private final Map<String, String> loggerLevels = new ConcurrentHashMap<>();

	private volatile WorkerMetersListener metersListener = WorkerMetersListener.NONE;

	WorkerQueries(WorkerRequests.Sender sender, Supplier<List<Integer>> connected, Duration timeout) {
		this.requests = new WorkerRequests(sender, timeout);
		this.connected = connected;
	}

	/**
	 * Asks a worker for its thread dump.
	 * @param workerId the worker's id
	 * @return the dump as text, or a {@link NoSuchWorkerException} if no such worker is
	 * connected
	 */
	public CompletableFuture<String> threadDump(int workerId) {
		if (!this.connected.get().contains(workerId)) {
			return CompletableFuture
				.failedFuture(new NoSuchWorkerException("No worker " + workerId + " is running and connected"));
		}
		return this.requests.ask(workerId, Ask.THREAD_DUMP, null, null).thenApply(JsonNode::asString);
	}

	/**
	 * Asks every connected worker for a logger's levels.
	 * @param name the logger's name
	 * @return each worker's answer ({@code configuredLevel}, {@code effectiveLevel}) by its
	 * id; a worker that fails to answer is left out
	 */
	public CompletableFuture<Map<Integer, JsonNode>> loggerLevels(String name) {
		Map<Integer, CompletableFuture<JsonNode>> answers = new TreeMap<>();
		for (int id : this.connected.get()) {
			answers.put(id, this.requests.ask(id, Ask.LOGGER_LEVELS, name, null));
		}
		return CompletableFuture.allOf(answers.values().stream().map((answer) -> answer.exceptionally((ex) -> null))
			.toArray(CompletableFuture[]::new)).thenApply((all) -> {
				Map<Integer, JsonNode> levels = new LinkedHashMap<>();
				answers.forEach((id, answer) -> {
					if (!answer.isCompletedExceptionally()) {
						levels.put(id, answer.join());
					}
				});
				return levels;
			});
	}

	/**
	 * Sets loggers' level in every connected worker and in every worker forked later.
	 * @param names the loggers
	 * @param level the level's name, or {@code null} to leave the level to each worker's
	 * configuration again
	 * @return completed once every connected worker has applied it, or failed naming one
	 * that has not
	 */
	public CompletableFuture<Void> setLoggerLevel(List<String> names, @Nullable String level) {
		names.forEach((name) -> {
			if (level != null) {
				this.loggerLevels.put(name, level);
			}
			else {
				this.loggerLevels.remove(name);
			}
		});
		List<CompletableFuture<JsonNode>> applied = this.connected.get()
			.stream()
			.flatMap((id) -> names.stream().map((name) -> this.requests.ask(id, Ask.SET_LOGGER_LEVEL, name, level)))
			.toList();
		return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new));
	}

	/**
	 * Hands every worker's meters to a listener from now on.
	 * @param listener the listener, called on a thread of each worker's control channel
	 */
	public void onWorkerMeters(WorkerMetersListener listener) {
		this.metersListener = listener;
	}

	/**
	 * The environment that gives a new worker the levels set for the cluster.
	 */
	Map<String, String> workerEnvironment() {
		if (this.loggerLevels.isEmpty()) {
			return Map.of();
		}
		return Map.of(WorkerEnvironment.LOGGER_LEVELS_VARIABLE, this.loggerLevels.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(",")));
	}

	/**
	 * Sets the cluster's levels in a worker that has just connected: one set after its
	 * fork, before it connected, is not in its environment.
	 */
	void online(int workerId) {
		this.loggerLevels.forEach((name, level) -> this.requests.ask(workerId, Ask.SET_LOGGER_LEVEL, name, level)
			.exceptionally((ex) -> {
				logger.warn(LogMessage.format("Worker %d did not set logger %s to %s: %s", workerId, name, level,
						ex.getMessage()));
				return null;
			}));
	}

	@Override
	public void meters(int workerId, ControlMessage.Meters meters) {
		this.metersListener.received(workerId, meters);
	}

	@Override
	public void replied(int workerId, ControlMessage.WorkerReply reply) {
		this.requests.replied(workerId, reply);
	}

	@Override
	public void closed(int workerId) {
		this.requests.closed(workerId);
		this.metersListener.closed(workerId);
	}

}
