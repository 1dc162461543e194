package dev.bootcluster.worker;

import java.util.List;

import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.MessageDelivery;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker's {@link ClusterMessenger}: sends to the primary over the control channel, and
 * throws a {@link dev.bootcluster.PrimaryUnreachableException} if that is closed or the
 * primary reads no more.
 */
public final class WorkerMessenger implements ClusterMessenger {

	private final ClusterWorker worker;

	private final JsonMapper jsonMapper;

	/**
	 * Creates a messenger.
	 * @param worker the worker's link to its primary
	 * @param jsonMapper writes payloads as JSON
	 */
	public WorkerMessenger(ClusterWorker worker, JsonMapper jsonMapper) {
		this.worker = worker;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void sendToPrimary(Object payload) {
		ControlMessage.Message message = MessageDelivery.message(this.jsonMapper, payload);
		MessageDelivery.deliverToPrimary(() -> this.worker.client().send(message));
	}

	@Override
	public void send(int workerId, Object payload) {
		throw new UnsupportedOperationException(
				"Worker " + this.worker.id() + " cannot message worker " + workerId + ": use sendToPrimary(payload)");
	}

	@Override
	public List<Integer> broadcast(Object payload) {
		throw new UnsupportedOperationException(
				"Worker " + this.worker.id() + " cannot broadcast: only the primary can; use sendToPrimary(payload)");
	}

}
