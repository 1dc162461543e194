package dev.bootcluster;

/**
 * A worker could not reach its primary over the control channel: the primary did not
 * answer in time (it is hung, stopped or overloaded), or the channel is closed (the
 * primary is gone, or the worker is shutting down). A worker's {@link ClusterOperations}
 * fail with it, and its {@link ClusterMessenger#sendToPrimary} throws it; as a
 * {@link MessageDeliveryException}, it is caught where such a failure already is.
 */
public class PrimaryUnreachableException extends MessageDeliveryException {

	/**
	 * Creates a new instance.
	 * @param message what was asked of the primary, and why it failed
	 * @param cause the channel's failure
	 */
	public PrimaryUnreachableException(String message, Throwable cause) {
		super(message, cause);
	}

}
