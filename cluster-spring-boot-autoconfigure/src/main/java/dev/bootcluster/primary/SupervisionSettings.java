package dev.bootcluster.primary;

import java.time.Duration;

/**
 * How the primary supervises its workers: how many, how long each step may take, when a
 * worker is recycled, how many a rolling restart replaces at a time, and how many
 * must be ready.
 *
 * @param workers how many workers to run
 * @param bootTimeout how long a worker may take to be ready
 * @param heartbeatInterval how often the primary heartbeats to each connected worker
 * @param heartbeatTimeout how long a connected worker may stay silent
 * @param killTimeout how long a disconnecting worker may drain before it is killed
 * @param maxRequests requests after which a worker is recycled, 0 for never
 * @param maxRequestsJitter random requests, up to this, added to {@code maxRequests} per
 * worker
 * @param maxHeapBytes heap after collection over which a worker is recycled, 0 for never
 * @param rollingBatchSize workers a rolling restart replaces at a time
 * @param minReady ready workers the cluster needs to be available; it is not scaled below
 */
public record SupervisionSettings(int workers, Duration bootTimeout, Duration heartbeatInterval,
		Duration heartbeatTimeout, Duration killTimeout, long maxRequests, long maxRequestsJitter, long maxHeapBytes,
		int rollingBatchSize, int minReady) {

	/**
	 * Settings with every default of {@code cluster.*} but the number of workers.
	 * @param workers how many workers to run
	 * @return the settings
	 */
	public static SupervisionSettings of(int workers) {
		return new SupervisionSettings(workers, Duration.ofSeconds(120), Duration.ofSeconds(2),
				Duration.ofSeconds(20), Duration.ofSeconds(30), 0, 0, 0, 1, 1);
	}

}
