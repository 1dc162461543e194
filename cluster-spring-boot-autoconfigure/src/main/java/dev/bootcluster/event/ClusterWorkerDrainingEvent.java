package dev.bootcluster.event;

/**
 * This worker has begun to drain: it takes no new connection, serves the ones it has, and
 * exits once they are closed. Published in the worker's own context, on the drain's
 * thread, once the worker has stopped accepting.
 * <p>
 * A long-lived connection (a server-sent event stream, a WebSocket) is closed by nobody
 * but the application, so a worker holding one would drain until
 * {@code spring.lifecycle.timeout-per-shutdown-phase} ends its graceful phase or the
 * primary kills it after {@code cluster.worker.kill-timeout}. Close them here: complete
 * each {@code SseEmitter}, close each WebSocket session (status 1001, going away), and
 * clients reconnect to a sibling. The drain waits for listeners of this event, so a
 * listener should close what it holds and return.
 */
public class ClusterWorkerDrainingEvent extends ClusterEvent {

	/**
	 * Creates an event.
	 * @param source the drain
	 */
	public ClusterWorkerDrainingEvent(Object source) {
		super(source);
	}

}
