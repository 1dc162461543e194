package dev.bootcluster;

/**
 * The primary could not be reached: it did not answer in time (it is hung, stopped or
 * overloaded), or a worker's control channel to it is closed (the primary is gone, or the
 * worker is shutting down). Actuator's cluster endpoints fail with it when the primary's
 * answer does not come, in a worker or in the primary itself. A worker's {@link ClusterOperations}
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
