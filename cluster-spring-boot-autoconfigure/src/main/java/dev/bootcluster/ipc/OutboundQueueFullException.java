package dev.bootcluster.ipc;

import java.io.IOException;
import java.time.Duration;

/**
 * Thrown when a frame would overfill the queue of frames waiting for a worker: the worker
 * is not reading its control channel (hung, stopped, or far behind).
 */
public class OutboundQueueFullException extends IOException {

	/**
	 * Creates a new instance.
	 * @param workerId the worker's id
	 * @param queuedBytes the bytes waiting for it
	 * @param stalledFor how long it has taken none of them
	 */
	public OutboundQueueFullException(int workerId, long queuedBytes, Duration stalledFor) {
		super("worker " + workerId + " is not reading its control channel (" + queuedBytes
				+ " bytes wait for it, none taken for " + stalledFor.toMillis() + " ms)");
	}

}
