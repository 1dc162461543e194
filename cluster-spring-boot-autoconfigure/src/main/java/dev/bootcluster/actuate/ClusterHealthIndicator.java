package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.WorkerState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code cluster} health contributor: UP while at least {@code cluster.min-ready}
 * workers are READY, no slot is ERRORED (crash-looping), the primary's own machinery has
 * not failed and connections reach the workers, DOWN otherwise; each worker, and such a failure, in the details. In a
 * worker it asks the primary, unless the primary has been silent for
 * {@code cluster.worker.heartbeat-timeout}: then it is DOWN at once (a hung primary would
 * not answer), so that a liveness probe that reaches the worker sees it.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ClusterOperations operations;

	private final int minReady;

	private final Supplier<Optional<Duration>> primarySilence;

	/**
	 * Creates an indicator.
	 * @param operations where the cluster's state comes from
	 * @param minReady the ready workers the cluster needs to be UP
	 */
	public ClusterHealthIndicator(ClusterOperations operations, int minReady) {
		this(operations, minReady, Optional::empty);
	}

	/**
	 * Creates an indicator for a worker.
	 * @param operations where the cluster's state comes from
	 * @param minReady the ready workers the cluster needs to be UP
	 * @param primarySilence how long the primary has been unheard, if longer than the
	 * heartbeat timeout
	 */
	public ClusterHealthIndicator(ClusterOperations operations, int minReady,
			Supplier<Optional<Duration>> primarySilence) {
		super("Cluster health check failed");
		this.operations = operations;
		this.minReady = minReady;
		this.primarySilence = primarySilence;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Optional<Duration> silence = this.primarySilence.get();
		if (silence.isPresent()) {
			builder.down()
				.withDetail("primary", "not heard for " + silence.get().toMillis()
						+ " ms, longer than cluster.worker.heartbeat-timeout: hung or stopped");
			return;
		}
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
		if (snapshot.unreachable() != null) {
			builder.withDetail("unreachable", snapshot.unreachable());
		}
	}

}
