package dev.bootcluster.primary;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.ipc.ControlConnection;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.log.LogMessage;

/**
 * The primary's side of the control channel: which connection belongs to which worker,
 * what the primary tells a worker, and what workers report, handed to the supervisor
 * thread as steps of their lifecycle.
 */
final class WorkerChannels implements ControlServer.Listener {

	private static final Log logger = LogFactory.getLog(WorkerChannels.class);

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final ClusterPrimary primary;

	private final Executor supervisor;

	private final Map<Integer, ControlConnection> connections = new ConcurrentHashMap<>();

	WorkerChannels(ClusterPrimary primary, Executor supervisor) {
		this.primary = primary;
		this.supervisor = supervisor;
	}

	/**
	 * Sends a message to a worker.
	 * @return {@code false} if the worker is not connected or the send failed
	 */
	boolean send(Worker worker, ControlMessage message) {
		ControlConnection connection = this.connections.get(worker.id());
		return connection != null && send(connection, message);
	}

	/**
	 * Sends a message to a connected worker, failing if it is not connected.
	 * @throws IOException if the channel fails or the message is over the frame limit
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
		try {
			ControlMessage heartbeat = new ControlMessage.PrimaryHeartbeat();
			this.connections.values().forEach((connection) -> send(connection, heartbeat));
		}
		catch (Throwable ex) {
			logger.error("Failed to send the primary's heartbeat to the workers", ex);
		}
	}

	/**
	 * The workers connected now.
	 */
	List<Integer> connected() {
		return this.connections.keySet().stream().sorted().toList();
	}

	void close(Worker worker) {
		ControlConnection connection = this.connections.remove(worker.id());
		if (connection != null) {
			connection.close();
		}
	}

	private boolean send(ControlConnection connection, ControlMessage message) {
		if (!connection.isOpen()) {
			return false;
		}
		try {
			connection.send(message);
			return true;
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Failed to send %s to worker %d", message, connection.workerId()), ex);
			return false;
		}
	}

	@Override
	public void connected(ControlConnection connection) {
		this.supervisor.execute(() -> {
			Worker worker = this.primary.liveWorker(connection.workerId());
			if (worker == null || worker.pid() != connection.pid()) {
				logger.warn(LogMessage.format("Closing the control connection of worker %d (pid %d): no such worker",
						connection.workerId(), connection.pid()));
				connection.close();
				return;
			}
			worker.seen(); // its silence counts from now, not from its fork: a slow boot is boot-timeout's
			this.connections.put(worker.id(), connection);
			this.primary.online(worker);
		});
	}

	@Override
	public void received(ControlConnection connection, ControlMessage message) {
		this.supervisor.execute(() -> {
			Worker worker = this.primary.liveWorker(connection.workerId());
			if (worker != null) {
				worker.seen();
				dispatch(worker, connection, message);
			}
		});
	}

	private void dispatch(Worker worker, ControlConnection connection, ControlMessage message) {
		if (message instanceof ControlMessage.Heartbeat heartbeat) {
			this.primary.heartbeat(worker, new WorkerLoad(heartbeat.requests(), heartbeat.activeRequests(),
					heartbeat.heapUsed(), heartbeat.heapAfterGc()));
		}
		else if (message instanceof ControlMessage.Listening listening) {
			this.primary.listening(worker, listening.address(), listening.port());
		}
		else if (message instanceof ControlMessage.Ready) {
			this.primary.ready(worker);
		}
		else if (message instanceof ControlMessage.Message applicationMessage) {
			this.primary.message(worker, applicationMessage.payload());
		}
		else if (message instanceof ControlMessage.Query query) {
			answer(connection, query);
		}
		else if (message instanceof ControlMessage.Disconnect) {
			this.primary.leaving(worker);
		}
		else if (!(message instanceof ControlMessage.Online)) {
			logger.warn(LogMessage.format("Ignoring unexpected %s from %s", message, worker));
		}
	}

	/**
	 * Answers a worker's query once the operation it asks for is applied; the answer is
	 * sent from the supervisor thread, which must not wait for it.
	 */
	private void answer(ControlConnection connection, ControlMessage.Query query) {
		ClusterOperations operations = this.primary.operations();
		CompletableFuture<ClusterSnapshot> state = switch (query.operation()) {
			case STATE -> operations.state();
			case SCALE -> operations.scale(query.argument());
			case RESTART -> operations.restart();
			case REPLACE -> operations.replace(query.argument());
		};
		state.whenComplete((snapshot, failure) -> send(connection, reply(query.id(), snapshot, failure)));
	}

	private static ControlMessage.QueryReply reply(long id, @Nullable ClusterSnapshot snapshot,
			@Nullable Throwable failure) {
		if (failure == null) {
			return new ControlMessage.QueryReply(id, jsonMapper.valueToTree(snapshot));
		}
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return new ControlMessage.QueryReply(id, null, new ControlMessage.QueryReply.Refusal(
				cause instanceof NoSuchWorkerException, Objects.toString(cause.getMessage(), cause.toString())));
	}

	@Override
	public void closed(ControlConnection connection, @Nullable Exception cause) {
		if (cause != null) {
			logger.warn(LogMessage.format("Control channel of worker %d closed: %s", connection.workerId(),
					cause.getMessage()));
		}
		this.connections.remove(connection.workerId(), connection);
	}

}
