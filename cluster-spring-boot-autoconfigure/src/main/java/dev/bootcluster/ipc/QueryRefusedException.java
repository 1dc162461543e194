package dev.bootcluster.ipc;

/**
 * The primary refused the operation a worker asked for, such as scaling to no workers or
 * replacing a worker that does not exist.
 */
public class QueryRefusedException extends RuntimeException {

	private final boolean notFound;

	/**
	 * Creates a new instance.
	 * @param notFound whether the operation named a worker that does not exist
	 * @param message what was wrong, in the primary's words
	 */
	public QueryRefusedException(boolean notFound, String message) {
		super(message);
		this.notFound = notFound;
	}

	/**
	 * Whether the operation named a worker that does not exist.
	 * @return whether it did
	 */
	public boolean isNotFound() {
		return this.notFound;
	}

}
