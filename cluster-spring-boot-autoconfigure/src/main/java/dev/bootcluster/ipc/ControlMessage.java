package dev.bootcluster.ipc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.JsonNode;

/**
 * A frame of the control channel between the primary and a worker. On the wire each is a
 * JSON object whose {@code type} names the message, such as
 * {@code {"type":"listening","address":"0.0.0.0","port":8080}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
		@JsonSubTypes.Type(value = ControlMessage.Online.class, name = "online"),
		@JsonSubTypes.Type(value = ControlMessage.Listening.class, name = "listening"),
		@JsonSubTypes.Type(value = ControlMessage.Ready.class, name = "ready"),
		@JsonSubTypes.Type(value = ControlMessage.Heartbeat.class, name = "heartbeat"),
		@JsonSubTypes.Type(value = ControlMessage.Disconnect.class, name = "disconnect"),
		@JsonSubTypes.Type(value = ControlMessage.Query.class, name = "query"),
		@JsonSubTypes.Type(value = ControlMessage.QueryReply.class, name = "query-reply") })
public sealed interface ControlMessage {

	/**
	 * A worker's first frame: who it is and the secret that proves it.
	 *
	 * @param workerId the worker's id
	 * @param token the worker's token, from its environment
	 * @param pid the worker's process id
	 */
	record Hello(int workerId, String token, long pid) implements ControlMessage {

		@Override
		public String toString() {
			return "Hello[workerId=" + this.workerId + ", pid=" + this.pid + "]"; // never the token
		}

	}

	/**
	 * The worker's JVM is running and connected.
	 */
	record Online() implements ControlMessage {

	}

	/**
	 * The worker's web server accepts connections on the shared socket.
	 *
	 * @param address the address the socket is bound to
	 * @param port the port
	 */
	record Listening(String address, int port) implements ControlMessage {

	}

	/**
	 * The worker's application is ready for traffic.
	 */
	record Ready() implements ControlMessage {

	}

	/**
	 * The worker's load, sent at a fixed interval.
	 *
	 * @param requests the requests served so far
	 * @param activeRequests the requests being served now
	 * @param heapUsed the bytes of heap in use
	 * @param heapAfterGc the bytes of heap in use after the last collection
	 */
	record Heartbeat(long requests, int activeRequests, long heapUsed, long heapAfterGc) implements ControlMessage {

	}

	/**
	 * From the primary: drain and exit. From a worker: it is leaving by itself.
	 */
	record Disconnect() implements ControlMessage {

	}

	/**
	 * A worker asking the primary for the state of the cluster.
	 *
	 * @param id the query's id, repeated in the reply
	 */
	record Query(long id) implements ControlMessage {

	}

	/**
	 * The primary's answer to a {@link Query}.
	 *
	 * @param id the query's id
	 * @param state the cluster's state
	 */
	record QueryReply(long id, JsonNode state) implements ControlMessage {

	}

}
