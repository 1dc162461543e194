package dev.bootcluster.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.ipc.ControlConnection;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.QueryReply.Refusal.Reason;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.ipc.Wire;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * The primary's side of the control channel: which connection belongs to which worker,
 * what the primary tells a worker (queued, never waited for), and what workers report,
 * handed to the supervisor thread as steps of their lifecycle. A worker's frame counts
 * against its window until the supervisor has handled it, and an application message
 * until the application's listeners have.
 */
final class WorkerChannels implements ControlServer.Listener {

	private static final Log logger = LogFactory.getLog(WorkerChannels.class);

	private final Steps steps;

	private final Reports reports;

	private final Executor supervisor;

	private final PrimaryFailure failure;

	private final LongSupplier ticker;

	private final Map<Integer, ControlConnection> connections = new ConcurrentHashMap<>();

	WorkerChannels(Steps steps, Reports reports, Executor supervisor, PrimaryFailure failure, LongSupplier ticker) {
		this.steps = steps;
		this.reports = reports;
		this.supervisor = supervisor;
		this.failure = failure;
		this.ticker = ticker;
	}

	/**
	 * Queues a message for a worker.
	 * @return {@code false} if the worker is not connected or its queue is full
	 */
	boolean send(SupervisedWorker worker, ControlMessage message) {
		ControlConnection connection = this.connections.get(worker.id());
		return connection != null && send(connection, message);
	}

	/**
	 * Queues a message for a connected worker, failing if it cannot take it.
	 * @throws IOException if the worker's queue is full (it is not reading), the channel
	 * is closed, or the message is over the frame limit
	 * @throws MessageDeliveryException if the worker is not connected
	 */
	void deliver(int workerId, ControlMessage message) throws IOException {
		ControlConnection connection = this.connections.get(workerId);
		if (connection == null || !connection.isOpen()) {
			throw new MessageDeliveryException(
					"Worker " + workerId + " is not connected: it has exited or is not online yet", null);
		}
		connection.send(message);
	}

	/**
	 * Tells every connected worker that the primary is still there: a worker that does not
	 * hear from it for the heartbeat timeout reports its primary hung.
	 */
	void heartbeat() {
		ControlMessage heartbeat = new ControlMessage.PrimaryHeartbeat();
		for (ControlConnection connection : this.connections.values()) {
			try {
				connection.send(heartbeat);
			}
			catch (IOException ex) { // not reading, or gone: the watchdog and the reader see to it
				logger.debug(LogMessage.format("No heartbeat for worker %d: %s", connection.workerId(),
						ex.getMessage()));
			}
		}
	}

	/**
	 * The workers connected now.
	 */
	List<Integer> connected() {
		return this.connections.keySet().stream().sorted().toList();
	}

	/**
	 * How long frames have waited for a worker that takes none.
	 */
	Duration stalledFor(SupervisedWorker worker) {
		ControlConnection connection = this.connections.get(worker.id());
		return (connection != null) ? connection.stalledFor() : Duration.ZERO;
	}

	/**
	 * Whether a worker's frames wait for the primary: it is heard, though not read yet.
	 */
	boolean isThrottled(SupervisedWorker worker) {
		ControlConnection connection = this.connections.get(worker.id());
		return connection != null && connection.isThrottled();
	}

	void close(SupervisedWorker worker) {
		ControlConnection connection = this.connections.remove(worker.id());
		if (connection != null) {
			connection.close();
		}
	}

	private boolean send(ControlConnection connection, ControlMessage message) {
		try {
			connection.send(message);
			return true;
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Cannot send %s to worker %d: %s", message, connection.workerId(),
					ex.getMessage()));
			return false;
		}
	}

	@Override
	public void connected(ControlConnection connection) {
		this.supervisor.execute(() -> {
			SupervisedWorker worker = this.steps.liveWorker(connection.workerId());
			if (worker == null || worker.pid() != connection.pid()) {
				logger.warn(LogMessage.format("Closing the control connection of worker %d (pid %d): no such worker",
						connection.workerId(), connection.pid()));
				connection.close();
				return;
			}
			// its silence counts from now, not from its fork: a slow boot is boot-timeout's
			worker.seen(this.ticker.getAsLong());
			this.connections.put(worker.id(), connection);
			if (!connection.isOpen()) { // ended before this step: closed() has come and gone
				this.connections.remove(worker.id(), connection);
				return;
			}
			this.steps.online(worker);
		});
	}

	@Override
	public void received(ControlConnection connection, ControlMessage message, Runnable handled) {
		if (message instanceof ControlMessage.Meters || message instanceof ControlMessage.WorkerReply) {
			try { // no step of the lifecycle: taken here, in the connection's order, before closed()
				if (message instanceof ControlMessage.Meters meters) {
					this.reports.meters(connection.workerId(), meters);
				}
				else {
					this.reports.replied(connection.workerId(), (ControlMessage.WorkerReply) message);
				}
			}
			finally {
				handled.run();
			}
			return;
		}
		this.supervisor.execute(() -> {
			boolean handOver = false;
			try {
				SupervisedWorker worker = this.steps.liveWorker(connection.workerId());
				if (worker != null) {
					worker.seen(this.ticker.getAsLong());
					handOver = dispatch(worker, connection, message, handled);
				}
			}
			finally {
				if (!handOver) {
					handled.run();
				}
			}
		});
	}

	/**
	 * Hands a frame to its step.
	 * @return whether the step took over running {@code handled}
	 */
	private boolean dispatch(SupervisedWorker worker, ControlConnection connection, ControlMessage message,
			Runnable handled) {
		if (message instanceof ControlMessage.Heartbeat heartbeat) {
			this.steps.heartbeat(worker, new WorkerLoad(heartbeat.requests(), heartbeat.activeRequests(),
					heartbeat.heapUsed(), heartbeat.heapAfterGc(), heartbeat.requestThreadsStalledMillis()));
		}
		else if (message instanceof ControlMessage.Listening listening) {
			this.steps.listening(worker, listening.address(), listening.port(), listening.additionalPorts(),
					listening.socketPaths());
		}
		else if (message instanceof ControlMessage.Ready) {
			this.steps.ready(worker);
		}
		else if (message instanceof ControlMessage.Message applicationMessage) {
			this.steps.message(worker, applicationMessage.payload(), handled);
			return true;
		}
		else if (message instanceof ControlMessage.Query query) {
			answer(connection, query);
		}
		else if (message instanceof ControlMessage.Disconnect) {
			this.steps.leaving(worker);
		}
		else if (!(message instanceof ControlMessage.Online)) {
			logger.warn(LogMessage.format("Ignoring unexpected %s from %s", message, worker));
		}
		return false;
	}

	/**
	 * Answers a worker's query once the operation it asks for is applied; the answer is
	 * queued from the supervisor thread, which must not wait for it.
	 */
	private void answer(ControlConnection connection, ControlMessage.Query query) {
		ClusterOperations operations = this.steps.operations();
		CompletableFuture<ClusterSnapshot> state = switch (query.operation()) {
			case STATE -> operations.state();
			case SCALE -> operations.scale(query.argument());
			case RESTART -> operations.restart();
			case REPLACE -> operations.replace(query.argument());
			case THREAD_DUMP -> null;
		};
		if (state == null) {
			operations.threadDump(query.argument())
				.whenComplete((dump, failure) -> send(connection, (failure != null) ? reply(query.id(), null, failure)
						: new ControlMessage.QueryReply(query.id(), Wire.mapper().getNodeFactory().stringNode(dump))));
			return;
		}
		state.whenComplete((snapshot, failure) -> send(connection, reply(query.id(), snapshot, failure)));
	}

	private static ControlMessage.QueryReply reply(long id, @Nullable ClusterSnapshot snapshot,
			@Nullable Throwable failure) {
		if (failure == null) {
			return new ControlMessage.QueryReply(id, Wire.mapper().valueToTree(snapshot));
		}
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		Reason reason = (cause instanceof NoSuchWorkerException) ? Reason.NOT_FOUND
				: (cause instanceof SecurityException) ? Reason.FORBIDDEN : Reason.INVALID;
		return new ControlMessage.QueryReply(id, null,
				new ControlMessage.QueryReply.Refusal(reason, Objects.toString(cause.getMessage(), cause.toString())));
	}

	@Override
	public void closed(ControlConnection connection, @Nullable Exception cause) {
		if (cause != null) {
			logger.warn(LogMessage.format("Control channel of worker %d closed: %s", connection.workerId(),
					cause.getMessage()));
		}
		this.connections.remove(connection.workerId(), connection);
		this.reports.closed(connection.workerId());
	}

	@Override
	public void failed(Throwable error) {
		this.failure.recordIfFatal("the control channel", error);
	}

	/**
	 * What workers report beside their lifecycle, taken on the connection's reader thread:
	 * never the supervisor's, and nothing of a connection after it is closed.
	 */
	interface Reports {

		void meters(int workerId, ControlMessage.Meters meters);

		void replied(int workerId, ControlMessage.WorkerReply reply);

		/**
		 * A worker's channel is closed: it reports nothing more.
		 */
		void closed(int workerId);

	}

	/**
	 * The steps of a worker's lifecycle that its frames report, taken on the supervisor
	 * thread.
	 */
	interface Steps {

		@Nullable SupervisedWorker liveWorker(int id);

		void online(SupervisedWorker worker);

		void listening(SupervisedWorker worker, String address, int port, List<Integer> additionalPorts,
				List<String> socketPaths);

		void ready(SupervisedWorker worker);

		void heartbeat(SupervisedWorker worker, WorkerLoad load);

		/**
		 * A message for the application; {@code handled} runs once its listeners have
		 * had it.
		 */
		void message(SupervisedWorker worker, JsonNode payload, Runnable handled);

		void leaving(SupervisedWorker worker);

		/**
		 * The operations a worker may ask for: read-only unless the endpoint's access is
		 * unrestricted.
		 */
		ClusterOperations operations();

	}

}
