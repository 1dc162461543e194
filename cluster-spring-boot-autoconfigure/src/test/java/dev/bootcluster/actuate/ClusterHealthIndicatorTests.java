package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.WorkerState;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterHealthIndicator}.
 */
class ClusterHealthIndicatorTests {

	@Test
	void upWhileAWorkerIsReadyAndNoSlotIsErrored() {
		Health health = health(WorkerState.READY, WorkerState.LISTENING);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("ready", 1L).containsKey("workers");
	}

	@Test
	void downWithFewerReadyWorkersThanMinReady() {
		Health health = health(2, WorkerState.READY, WorkerState.FORKED);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("ready", 1L).containsEntry("minReady", 2);
		assertThat(health(2, WorkerState.READY, WorkerState.READY).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void detailsHaveEachWorker() {
		Health health = health(1, WorkerState.READY, WorkerState.LISTENING);
		assertThat(health.getDetails().get("workers")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsOnlyKeys("1", "2")
			.hasEntrySatisfying("2", (worker) -> assertThat(worker).isInstanceOfSatisfying(
					ClusterSnapshot.WorkerSummary.class, (summary) -> assertThat(summary.pid()).isEqualTo(101)));
	}

	@Test
	void downWithoutAReadyWorker() {
		assertThat(health(WorkerState.FORKED, WorkerState.DISCONNECTING).getStatus()).isEqualTo(Status.DOWN);
		assertThat(health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWhenASlotIsErrored() {
		assertThat(health(WorkerState.READY, WorkerState.ERRORED).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWithTheFailureInTheDetailsWhenThePrimarysMachineryFailedThoughWorkersAreReady() {
		ClusterSnapshot ready = FixedClusterOperations.snapshot(WorkerState.READY, WorkerState.READY);
		ClusterSnapshot failed = new ClusterSnapshot(ready.mode(), ready.port(), List.of(),
				new ClusterSnapshot.PrimaryProcess(1, Duration.ZERO, "the watchdog: java.lang.OutOfMemoryError"),
				ready.workers(), ready.exits(), null);
		Health health = new ClusterHealthIndicator(new FixedClusterOperations(() -> failed), 1).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("failure", "the watchdog: java.lang.OutOfMemoryError")
			.containsEntry("ready", 2L);
	}

	@Test
	void downWithTheReasonInTheDetailsWhileNoConnectionReachesAWorker() {
		ClusterSnapshot ready = FixedClusterOperations.snapshot(WorkerState.READY);
		ClusterSnapshot unreachable = new ClusterSnapshot(ready.mode(), ready.port(), List.of(), ready.primary(),
				ready.workers(), ready.exits(), "no worker can be reached: worker 1 at /127.0.0.1:8081 failed 3 connects");
		Health health = new ClusterHealthIndicator(new FixedClusterOperations(() -> unreachable), 1).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("unreachable",
				"no worker can be reached: worker 1 at /127.0.0.1:8081 failed 3 connects");
		assertThat(unreachable.primary().failure()).as("not a failure for good: liveness stays CORRECT").isNull();
	}

	@Test
	void downWhenThePrimaryCannotBeAsked() {
		ClusterHealthIndicator indicator = new ClusterHealthIndicator(new FixedClusterOperations(() -> {
			throw new IllegalStateException("The primary did not tell the cluster's state");
		}), 1);
		assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downInAWorkerWhosePrimaryIsSilentWithoutAskingThePrimary() {
		ClusterHealthIndicator indicator = new ClusterHealthIndicator(new FixedClusterOperations(() -> {
			throw new AssertionError("asked a silent primary");
		}), 1, () -> Optional.of(Duration.ofMillis(3250)));
		Health health = indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsOnlyKeys("primary");
		assertThat(health.getDetails().get("primary")).asString()
			.isEqualTo("not heard for 3250 ms, longer than cluster.worker.heartbeat-timeout: hung or stopped");
	}

	@Test
	void aWorkerWhosePrimaryIsHeardAsksIt() {
		ClusterSnapshot snapshot = FixedClusterOperations.snapshot(WorkerState.READY);
		Health health = new ClusterHealthIndicator(new FixedClusterOperations(() -> snapshot), 1, Optional::empty)
			.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("primary");
	}

	private static Health health(WorkerState... states) {
		return health(1, states);
	}

	private static Health health(int minReady, WorkerState... states) {
		ClusterSnapshot snapshot = FixedClusterOperations.snapshot(states);
		return new ClusterHealthIndicator(new FixedClusterOperations(() -> snapshot), minReady).health(true);
	}

}
