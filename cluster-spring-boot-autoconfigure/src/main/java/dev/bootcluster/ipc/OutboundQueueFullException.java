package dev.bootcluster.ipc;

import java.io.IOException;
import java.time.Duration;

/**
 * Thrown when a frame would overfill the queue of frames waiting for a peer of the
 * control channel: the peer is not reading (hung, stopped, or far behind).
 */
public class OutboundQueueFullException extends IOException {

	/**
	 * Creates a new instance.
	 * @param peer the peer, such as {@code worker 3} or {@code the primary}
	 * @param queuedBytes the bytes waiting for it
	 * @param stalledFor how long it has taken none of them
	 */
	public OutboundQueueFullException(String peer, long queuedBytes, Duration stalledFor) {
		super(peer + " is not reading its control channel (" + queuedBytes + " bytes wait for it, none taken for "
				+ stalledFor.toMillis() + " ms)");
	}

}
