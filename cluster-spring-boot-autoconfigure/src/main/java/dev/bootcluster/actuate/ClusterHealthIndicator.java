package dev.bootcluster.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.bootcluster.primary.ClusterSnapshot;
import dev.bootcluster.primary.WorkerState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code cluster} health contributor: UP while at least one worker is READY and no
 * slot is ERRORED (crash-looping), DOWN otherwise, with each worker's state as details.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<ClusterSnapshot> snapshot;

	/**
	 * Creates an indicator.
	 * @param snapshot what the primary knows of the cluster
	 */
	public ClusterHealthIndicator(Supplier<ClusterSnapshot> snapshot) {
		super("Cluster health check failed");
		this.snapshot = snapshot;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ClusterSnapshot snapshot = this.snapshot.get();
		Map<String, String> workers = new LinkedHashMap<>();
		long ready = 0;
		long errored = 0;
		for (ClusterSnapshot.WorkerSummary worker : snapshot.workers()) {
			workers.put(Integer.toString(worker.id()), worker.state().name());
			ready += (worker.state() == WorkerState.READY) ? 1 : 0;
			errored += (worker.state() == WorkerState.ERRORED) ? 1 : 0;
		}
		((ready > 0 && errored == 0) ? builder.up() : builder.down()).withDetail("ready", ready)
			.withDetail("errored", errored)
			.withDetail("workers", workers);
	}

}
