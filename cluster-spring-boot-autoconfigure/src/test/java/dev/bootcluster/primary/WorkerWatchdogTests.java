package dev.bootcluster.primary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.socket.ChildProcess;
import dev.bootcluster.socket.ProcessExit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerWatchdog}.
 */
class WorkerWatchdogTests {

	private static final long MIB = 1024 * 1024;

	private final SupervisionSettings settings = new SupervisionSettings(1, Duration.ofSeconds(60),
			Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30), 1000, 100, 256 * MIB, 1, 1);

	private final WorkerWatchdog watchdog = new WorkerWatchdog(this.settings);

	private final Instant start = Instant.parse("2026-11-27T12:00:00Z");

	@Test
	void requestLimitsAreMaxRequestsPlusAShareOfTheJitter() {
		for (int i = 0; i < 200; i++) {
			assertThat(this.watchdog.requestLimit()).isBetween(1000L, 1100L);
		}
		assertThat(new WorkerWatchdog(SupervisionSettings.of(1)).requestLimit()).as("no limit").isZero();
	}

	@Test
	void aWorkerIsRecycledOnceItHasServedItsLimit() {
		Worker worker = worker(1050);
		assertThat(this.watchdog.recycleReason(worker, load(1049, 0))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(1050, 0))).isEqualTo("1050 requests (max 1050)");
	}

	@Test
	void aWorkerIsRecycledWhenItsHeapAfterGcStaysOverTheLimitForThreeHeartbeats() {
		Worker worker = worker(0);
		assertThat(this.watchdog.recycleReason(worker, load(0, 300 * MIB))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(0, 300 * MIB))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(0, 100 * MIB))).as("a collection freed it").isNull();
		assertThat(this.watchdog.recycleReason(worker, load(0, 300 * MIB))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(0, 300 * MIB))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(0, 300 * MIB)))
			.isEqualTo("heap after GC 300 MiB over 256 MiB");
	}

	@Test
	void aWorkerNotReadyWithinTheBootTimeoutIsOverdue() {
		Worker worker = worker(0);
		worker.state(WorkerState.LISTENING);
		assertThat(this.watchdog.overdue(worker, this.start.plusSeconds(60))).isNull();
		assertThat(this.watchdog.overdue(worker, this.start.plusSeconds(61))).isEqualTo(WorkerExitCause.BOOT_TIMEOUT);
		worker.state(WorkerState.READY);
		assertThat(this.watchdog.overdue(worker, this.start.plusSeconds(61))).as("ready in time").isNull();
	}

	@Test
	void aConnectedWorkerSilentForTheHeartbeatTimeoutIsOverdue() {
		SupervisionSettings quick = new SupervisionSettings(1, Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofMillis(1),
				Duration.ofSeconds(30), 0, 0, 0, 1, 1);
		Worker worker = worker(0);
		worker.state(WorkerState.READY);
		await().until(() -> worker.silence().compareTo(Duration.ofMillis(1)) > 0);
		assertThat(new WorkerWatchdog(quick).overdue(worker, this.start)).isEqualTo(WorkerExitCause.HEARTBEAT_TIMEOUT);
		worker.state(WorkerState.FORKED);
		assertThat(new WorkerWatchdog(quick).overdue(worker, this.start)).as("not connected yet").isNull();
	}

	private Worker worker(long requestLimit) {
		WorkerLauncher launcher = new WorkerLauncher(new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar",
				"app.jar", List.of(), Map.of()), List.of(), Map.of());
		ClusterPrimary primary = new ClusterPrimary(this.settings, launcher,
				new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 3),
				new NoListener());
		return new Worker(primary, 1, 1, 0, new EndedProcess(), this.start, requestLimit);
	}

	private static WorkerLoad load(long requests, long heapAfterGc) {
		return new WorkerLoad(requests, 0, heapAfterGc, heapAfterGc);
	}

	/**
	 * A process that has already ended: the watchdog only reads a worker's state.
	 */
	private static final class EndedProcess implements ChildProcess {

		@Override
		public long pid() {
			return 4242;
		}

		@Override
		public CompletableFuture<ProcessExit> onExit() {
			return CompletableFuture.completedFuture(ProcessExit.ofCode(0));
		}

		@Override
		public boolean signal(String signal) {
			return false;
		}

	}

	private static final class NoListener implements WorkerListener {

	}

}
