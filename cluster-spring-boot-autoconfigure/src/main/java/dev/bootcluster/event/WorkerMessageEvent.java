package dev.bootcluster.event;

import dev.bootcluster.Worker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker sent the primary a message ({@code ClusterMessenger.sendToPrimary} in the
 * worker). Published in the primary, on its supervisor thread and in the order the
 * worker sent them: a listener that takes long should hand the work on.
 */
public class WorkerMessageEvent extends WorkerEvent {

	private final transient MessagePayload payload;

	/**
	 * Creates an event.
	 * @param worker the worker that sent it
	 * @param payload the message
	 * @param jsonMapper reads the message as a type
	 */
	public WorkerMessageEvent(Worker worker, JsonNode payload, JsonMapper jsonMapper) {
		super(worker);
		this.payload = new MessagePayload(payload, jsonMapper);
	}

	/**
	 * The message as JSON.
	 * @return the message
	 */
	public JsonNode getPayload() {
		return this.payload.json();
	}

	/**
	 * The message read as a type.
	 * @param <T> the type
	 * @param type the type
	 * @return the message
	 * @throws IllegalArgumentException if it cannot be read as that type
	 */
	public <T> T payload(Class<T> type) {
		return this.payload.as(type);
	}

	@Override
	public String toString() {
		return "WorkerMessageEvent[worker=" + getWorker().id() + ", payload=" + getPayload() + "]";
	}

}
