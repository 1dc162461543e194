package dev.bootcluster;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterMessenger} message could not be handed to its peer: the worker is not
 * connected, or the control channel failed. In a worker, whose peer is the primary, it is
 * a {@link PrimaryUnreachableException}.
 */
public class MessageDeliveryException extends RuntimeException {

	/**
	 * Creates a new instance.
	 * @param message what could not be delivered, and why
	 * @param cause the channel's failure, or {@code null}
	 */
	public MessageDeliveryException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
