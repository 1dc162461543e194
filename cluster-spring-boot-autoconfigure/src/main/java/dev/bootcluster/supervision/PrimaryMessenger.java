package dev.bootcluster.supervision;

import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.MessageDelivery;
import tools.jackson.databind.json.JsonMapper;

/**
 * The primary's {@link ClusterMessenger}: sends to workers over their control channels.
 */
public final class PrimaryMessenger implements ClusterMessenger {

	private final ClusterPrimary primary;

	private final JsonMapper jsonMapper;

	/**
	 * Creates a messenger.
	 * @param primary the cluster's primary
	 * @param jsonMapper writes payloads as JSON
	 */
	public PrimaryMessenger(ClusterPrimary primary, JsonMapper jsonMapper) {
		this.primary = primary;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void send(int workerId, Object payload) {
		ControlMessage.Message message = MessageDelivery.message(this.jsonMapper, payload);
		MessageDelivery.deliver("worker " + workerId, () -> this.primary.send(workerId, message));
	}

	@Override
	public List<Integer> broadcast(Object payload) {
		ControlMessage.Message message = MessageDelivery.message(this.jsonMapper, payload);
		List<Integer> reached = new ArrayList<>();
		MessageDeliveryException failed = null;
		for (int workerId : this.primary.connectedWorkers()) {
			try {
				MessageDelivery.deliver("worker " + workerId, () -> this.primary.send(workerId, message));
				reached.add(workerId);
			}
			catch (MessageDeliveryException ex) {
				if (failed == null) {
					failed = ex;
				}
				else {
					failed.addSuppressed(ex);
				}
			}
		}
		if (failed != null) {
			throw failed;
		}
		return reached;
	}

	@Override
	public void sendToPrimary(Object payload) {
		throw new UnsupportedOperationException("This is the primary: use send(workerId, payload) or broadcast(payload)");
	}

}
