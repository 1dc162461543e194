package dev.bootcluster.event;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The primary sent this worker a message ({@code ClusterMessenger.send} or
 * {@code broadcast} in the primary). Published in the worker, on its control channel's
 * thread and in the order the primary sent them: a listener that takes long should hand
 * the work on.
 */
public class PrimaryMessageEvent extends ClusterEvent {

	private final transient MessagePayload payload;

	/**
	 * Creates an event.
	 * @param source the worker's link to the primary
	 * @param payload the message
	 * @param jsonMapper reads the message as a type
	 */
	public PrimaryMessageEvent(Object source, JsonNode payload, JsonMapper jsonMapper) {
		super(source);
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
		return "PrimaryMessageEvent[payload=" + getPayload() + "]";
	}

}
