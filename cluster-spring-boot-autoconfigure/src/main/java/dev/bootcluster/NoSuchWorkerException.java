package dev.bootcluster;

/**
 * An operation named a worker that is not running.
 */
public class NoSuchWorkerException extends RuntimeException {

	/**
	 * Creates a new instance.
	 * @param message what was looked for
	 */
	public NoSuchWorkerException(String message) {
		super(message);
	}

}
