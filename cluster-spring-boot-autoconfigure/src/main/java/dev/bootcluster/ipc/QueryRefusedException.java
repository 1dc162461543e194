package dev.bootcluster.ipc;

import dev.bootcluster.ipc.ControlMessage.QueryReply.Refusal.Reason;

/**
 * The primary refused the operation a worker asked for, such as scaling to no workers,
 * replacing a worker that does not exist, or changing the cluster when workers may only
 * read it.
 */
public class QueryRefusedException extends RuntimeException {

	private final Reason reason;

	/**
	 * Creates a new instance.
	 * @param reason the kind of refusal
	 * @param message what was wrong, in the primary's words
	 */
	public QueryRefusedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * The kind of refusal.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
