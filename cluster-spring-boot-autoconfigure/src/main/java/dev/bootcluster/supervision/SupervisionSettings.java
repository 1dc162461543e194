package dev.bootcluster.supervision;

import java.time.Duration;

import dev.bootcluster.WorkerCount;

/**
 * How the primary supervises its workers: how many, how many at most, how long each step
 * may take, when a worker is recycled, how many a rolling restart replaces at a time, how
 * many must be ready, and whether workers may change the cluster.
 *
 * @param workers how many workers to run
 * @param maxWorkers the most workers to run: no scale request goes over it
 * ({@code cluster.max-workers})
 * @param bootTimeout how long a worker may take to be ready
 * @param heartbeatInterval how often the primary heartbeats to each connected worker
 * @param heartbeatTimeout how long a connected worker may stay silent
 * @param hangTimeout how long a ready worker's request threads may take no new task, 0 for
 * no limit
 * @param killTimeout how long a disconnecting worker may drain before it is killed
 * @param maxRequests requests after which a worker is recycled, 0 for never
 * @param maxRequestsJitter random requests, up to this, added to {@code maxRequests} per
 * worker
 * @param maxHeapBytes heap after collection over which a worker is recycled, 0 for never
 * @param rollingBatchSize workers a rolling restart replaces at a time
 * @param minReady ready workers the cluster needs to be available; it is not scaled below
 * @param workersMayChange whether a worker may scale, restart or replace over the control
 * channel (the endpoint's access is {@code unrestricted}); else it may only read the state
 */
public record SupervisionSettings(int workers, int maxWorkers, Duration bootTimeout, Duration heartbeatInterval,
		Duration heartbeatTimeout, Duration hangTimeout, Duration killTimeout, long maxRequests, long maxRequestsJitter, long maxHeapBytes,
		int rollingBatchSize, int minReady, boolean workersMayChange) {

	/**
	 * Checks the limit.
	 * @throws IllegalArgumentException if {@code maxWorkers} is below 1 or below
	 * {@code workers}
	 */
	public SupervisionSettings {
		if (maxWorkers < 1 || workers > maxWorkers) {
			throw new IllegalArgumentException(
					"Cannot run " + workers + " worker(s) with cluster.max-workers " + maxWorkers);
		}
	}

	/**
	 * Settings with every default of {@code cluster.*} but the number of workers: at most
	 * {@link WorkerCount#defaultMax()} workers, which may only read the cluster's state.
	 * @param workers how many workers to run
	 * @return the settings
	 */
	public static SupervisionSettings of(int workers) {
		return new SupervisionSettings(workers, WorkerCount.defaultMax(), Duration.ofSeconds(120),
				Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(30), 0, 0, 0,
				1, 1, false);
	}

}
