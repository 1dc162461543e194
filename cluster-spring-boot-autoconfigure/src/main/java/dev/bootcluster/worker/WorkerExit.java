package dev.bootcluster.worker;


/**
 * How a worker process ends.
 */
public interface WorkerExit {

	/**
	 * Drains (see {@link SharedSocketDrain}) and exits with status 0, as on
	 * {@code SIGTERM}. Returns at once.
	 */
	void drainAndExit();

	/**
	 * Exits within two seconds, draining what it can in that time: with the primary gone,
	 * nobody supervises this worker any more. Returns at once.
	 */
	void primaryLost();

}
