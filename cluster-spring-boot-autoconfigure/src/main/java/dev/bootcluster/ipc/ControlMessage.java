package dev.bootcluster.ipc;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
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
		@JsonSubTypes.Type(value = ControlMessage.PrimaryHeartbeat.class, name = "primary-heartbeat"),
		@JsonSubTypes.Type(value = ControlMessage.Message.class, name = "message"),
		@JsonSubTypes.Type(value = ControlMessage.Disconnect.class, name = "disconnect"),
		@JsonSubTypes.Type(value = ControlMessage.Query.class, name = "query"),
		@JsonSubTypes.Type(value = ControlMessage.QueryReply.class, name = "query-reply"),
		@JsonSubTypes.Type(value = ControlMessage.Meters.class, name = "meters"),
		@JsonSubTypes.Type(value = ControlMessage.WorkerRequest.class, name = "worker-request"),
		@JsonSubTypes.Type(value = ControlMessage.WorkerReply.class, name = "worker-reply") })
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
	 * The worker's web server accepts connections on the shared sockets.
	 *
	 * @param address the address the main socket is bound to
	 * @param port the main connector's port
	 * @param additionalPorts the ports of the additional connectors, in their order
	 * @param socketPaths the paths of the Unix domain sockets the connectors listen on
	 * instead (relay mode), the main connector's first; empty on TCP
	 */
	record Listening(String address, int port, List<Integer> additionalPorts,
			List<String> socketPaths) implements ControlMessage {

		public Listening {
			additionalPorts = (additionalPorts != null) ? List.copyOf(additionalPorts) : List.of();
			socketPaths = (socketPaths != null) ? List.copyOf(socketPaths) : List.of();
		}

		public Listening(String address, int port, List<Integer> additionalPorts) {
			this(address, port, additionalPorts, List.of());
		}

		public Listening(String address, int port) {
			this(address, port, List.of());
		}

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
	 * @param requestThreadsStalledMillis how long a task handed to the request threads has
	 * waited for one, 0 if none waits
	 */
	record Heartbeat(long requests, int activeRequests, long heapUsed, long heapAfterGc,
			long requestThreadsStalledMillis) implements ControlMessage {

		public Heartbeat(long requests, int activeRequests, long heapUsed, long heapAfterGc) {
			this(requests, activeRequests, heapUsed, heapAfterGc, 0);
		}

	}

	/**
	 * From the primary, at the workers' heartbeat interval: it is still there. A worker
	 * that has not heard from its primary for the heartbeat timeout reports it (health
	 * DOWN).
	 */
	record PrimaryHeartbeat() implements ControlMessage {

	}

	/**
	 * An application's message, either way: any JSON value.
	 *
	 * @param payload the message's content
	 */
	record Message(JsonNode payload) implements ControlMessage {

		@Override
		public String toString() {
			return "Message[]"; // the payload may be large or private
		}

	}

	/**
	 * From the primary: drain and exit. From a worker: it is leaving by itself.
	 */
	record Disconnect() implements ControlMessage {

	}

	/**
	 * A worker asking the primary for the state of the cluster, or to change it first.
	 *
	 * @param id the query's id, repeated in the reply
	 * @param operation what to do
	 * @param argument the number of workers to scale to, or the worker to replace
	 */
	record Query(long id, Operation operation, int argument) implements ControlMessage {

		/**
		 * A query for the state only.
		 * @param id the query's id
		 */
		public Query(long id) {
			this(id, Operation.STATE, 0);
		}

		/**
		 * What a query asks of the primary.
		 */
		public enum Operation {

			/** Only tell the cluster's state. */
			STATE,

			/** Scale to {@code argument} workers. */
			SCALE,

			/** Roll every worker. */
			RESTART,

			/** Gracefully replace worker {@code argument}. */
			REPLACE,

			/** Tell worker {@code argument}'s thread dump, as text. */
			THREAD_DUMP

		}

	}

	/**
	 * The primary's answer to a {@link Query}: the cluster's state, or why the operation
	 * was refused.
	 *
	 * @param id the query's id
	 * @param state the cluster's state, or {@code null} if refused
	 * @param refusal why the operation was refused, or {@code null}
	 */
	record QueryReply(long id, @Nullable JsonNode state, @Nullable Refusal refusal) implements ControlMessage {

		/**
		 * A reply with the cluster's state.
		 * @param id the query's id
		 * @param state the cluster's state
		 */
		public QueryReply(long id, JsonNode state) {
			this(id, state, null);
		}

		/**
		 * Why the primary refused an operation.
		 *
		 * @param reason the kind of refusal
		 * @param message what was wrong
		 */
		public record Refusal(Reason reason, String message) {

			/**
			 * The kinds of refusal, each its own exception in the worker.
			 */
			public enum Reason {

				/** The operation's argument is not valid, such as a number of workers. */
				INVALID,

				/** The operation named a worker that does not exist. */
				NOT_FOUND,

				/** Workers may not ask for the operation (the endpoint's access). */
				FORBIDDEN

			}

		}

	}

	/**
	 * From a worker, after a heartbeat: its meters that are new or changed since its last
	 * report, and those it no longer has; a report may take several frames of at most
	 * {@link #MAX_PER_FRAME} meters each.
	 *
	 * @param meters the meters new or changed
	 * @param gone the meters removed
	 */
	record Meters(List<Sample> meters, List<Gone> gone) implements ControlMessage {

		/** The most meters in one frame, well within the frame limit. */
		public static final int MAX_PER_FRAME = 1000;

		public Meters {
			meters = List.copyOf(meters);
			gone = (gone != null) ? List.copyOf(gone) : List.of();
		}

		@Override
		public String toString() {
			return "Meters[" + this.meters.size() + " new or changed, " + this.gone.size() + " gone]";
		}

		/**
		 * A meter a worker no longer has.
		 *
		 * @param name the meter's name
		 * @param kind its kind
		 * @param tags its tags, keys and values in turn
		 */
		public record Gone(String name, Kind kind, List<String> tags) {

			public Gone {
				tags = List.copyOf(tags);
			}

		}

		/**
		 * One meter: what Micrometer knows of it and its values now.
		 *
		 * @param name the meter's name
		 * @param kind its kind
		 * @param tags its tags, keys and values in turn
		 * @param baseUnit its base unit, or {@code null}
		 * @param description its description, or {@code null}
		 * @param values its values, in the order its kind gives
		 * @param statistics the statistic of each value of a meter of kind
		 * {@link Kind#OTHER}; empty for the others
		 */
		public record Sample(String name, Kind kind, List<String> tags, @Nullable String baseUnit,
				@Nullable String description, double[] values, List<String> statistics) {

			public Sample {
				tags = List.copyOf(tags);
				statistics = (statistics != null) ? List.copyOf(statistics) : List.of();
			}

		}

		/**
		 * The kinds of meter, each with its values.
		 */
		public enum Kind {

			/** A gauge: its value. */
			GAUGE,

			/** A gauge of time: its value in seconds. */
			TIME_GAUGE,

			/** A counter or function counter: its count. */
			COUNTER,

			/** A timer or function timer: its count and total time in seconds. */
			TIMER,

			/** A distribution summary: its count, total and max. */
			SUMMARY,

			/** A long task timer: its active tasks and their duration in seconds. */
			LONG_TASK_TIMER,

			/** Any other meter: its measurements, as {@code statistics} names them. */
			OTHER

		}

	}

	/**
	 * From the primary: a question to the worker or a change in it, answered with a
	 * {@link WorkerReply} of the same id.
	 *
	 * @param id the request's id
	 * @param ask what to do
	 * @param logger the logger to read or set, or {@code null}
	 * @param level the level to set ({@code null} to reset it)
	 */
	record WorkerRequest(long id, Ask ask, @Nullable String logger, @Nullable String level) implements ControlMessage {

		/**
		 * What the primary asks of a worker.
		 */
		public enum Ask {

			/** Tell the worker's thread dump, as text. */
			THREAD_DUMP,

			/** Tell a logger's configured and effective level. */
			LOGGER_LEVELS,

			/** Set a logger's level. */
			SET_LOGGER_LEVEL

		}

	}

	/**
	 * A worker's answer to a {@link WorkerRequest}.
	 *
	 * @param id the request's id
	 * @param result the answer, or {@code null} if it failed
	 * @param error why it failed, or {@code null}
	 */
	record WorkerReply(long id, @Nullable JsonNode result, @Nullable String error) implements ControlMessage {

		@Override
		public String toString() {
			return "WorkerReply[id=" + this.id + ((this.error != null) ? ", error=" + this.error : "") + "]";
		}

	}

}
