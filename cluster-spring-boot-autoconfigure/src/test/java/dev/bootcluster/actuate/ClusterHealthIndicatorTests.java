package dev.bootcluster.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.primary.ClusterSnapshot;
import dev.bootcluster.primary.WorkerState;
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
	void downWithoutAReadyWorker() {
		assertThat(health(WorkerState.FORKED, WorkerState.DISCONNECTING).getStatus()).isEqualTo(Status.DOWN);
		assertThat(health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWhenASlotIsErrored() {
		assertThat(health(WorkerState.READY, WorkerState.ERRORED).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWhenThePrimaryCannotBeAsked() {
		ClusterHealthIndicator indicator = new ClusterHealthIndicator(() -> {
			throw new IllegalStateException("The primary did not tell the cluster's state");
		});
		assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	private static Health health(WorkerState... states) {
		List<ClusterSnapshot.WorkerSummary> workers = new ArrayList<>();
		for (int i = 0; i < states.length; i++) {
			workers.add(new ClusterSnapshot.WorkerSummary(i + 1, 100 + i, states[i], Instant.now(), 0, 0, 0, 0));
		}
		ClusterSnapshot snapshot = new ClusterSnapshot("inherit", 8080,
				new ClusterSnapshot.PrimaryProcess(1, Duration.ZERO), workers, List.of());
		return new ClusterHealthIndicator(() -> snapshot).health(true);
	}

}
