package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.bootcluster.primary.ClusterOperations;
import dev.bootcluster.primary.ClusterSnapshot;
import dev.bootcluster.primary.WorkerState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code cluster} health contributor: UP while at least {@code cluster.min-ready}
 * workers are READY, no slot is ERRORED (crash-looping) and the primary's own machinery
 * has not failed, DOWN otherwise; each worker, and such a failure, in the details. In a
 * worker it asks the primary.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ClusterOperations operations;

	private final int minReady;

	/**
	 * Creates an indicator.
	 * @param operations where the cluster's state comes from
	 * @param minReady the ready workers the cluster needs to be UP
	 */
	public ClusterHealthIndicator(ClusterOperations operations, int minReady) {
		super("Cluster health check failed");
		this.operations = operations;
		this.minReady = minReady;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ClusterSnapshot snapshot = PrimaryAnswer.await(this.operations.state(), TIMEOUT);
		Map<String, ClusterSnapshot.WorkerSummary> workers = new LinkedHashMap<>();
		snapshot.workers().forEach((worker) -> workers.put(Integer.toString(worker.id()), worker));
		(snapshot.isAvailable(this.minReady) ? builder.up() : builder.down())
			.withDetail("ready", snapshot.count(WorkerState.READY))
			.withDetail("minReady", this.minReady)
			.withDetail("errored", snapshot.count(WorkerState.ERRORED))
			.withDetail("workers", workers);
		String failure = snapshot.primary().failure();
		if (failure != null) {
			builder.withDetail("failure", failure);
		}
	}

}
