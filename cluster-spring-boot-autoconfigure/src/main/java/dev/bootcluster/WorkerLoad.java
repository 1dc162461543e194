package dev.bootcluster;

/**
 * The load figures a worker last reported in its heartbeat.
 *
 * @param requests requests served since the worker started
 * @param activeRequests requests being served at the time of the heartbeat
 * @param heapUsed heap in use, in bytes
 * @param heapAfterGc heap in use after the last garbage collection, in bytes (0 before the
 * first)
 * @param requestThreadsStalledMillis how long a task handed to the worker's request threads
 * had waited for one, 0 if none was waiting
 */
public record WorkerLoad(long requests, int activeRequests, long heapUsed, long heapAfterGc,
		long requestThreadsStalledMillis) {

	/**
	 * No load: the figures before a worker's first heartbeat.
	 */
	public static final WorkerLoad NONE = new WorkerLoad(0, 0, 0, 0, 0);

}
