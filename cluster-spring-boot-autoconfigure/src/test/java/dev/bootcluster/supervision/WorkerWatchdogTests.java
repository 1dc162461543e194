package dev.bootcluster.supervision;

import java.time.Duration;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerWatchdog}.
 */
class WorkerWatchdogTests {

	private static final long MIB = 1024 * 1024;

	private final SupervisionSettings settings = new SupervisionSettings(1, 1, Duration.ofSeconds(60),
			Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(30), 1000, 100,
			256 * MIB, 1, 1, false);

	private final WorkerWatchdog watchdog = new WorkerWatchdog(this.settings);

	private static final long SECOND = 1_000_000_000L;

	private final long start = 42 * SECOND; // a monotonic clock has no epoch

	@Test
	void requestLimitsAreMaxRequestsPlusAShareOfTheJitter() {
		for (int i = 0; i < 200; i++) {
			assertThat(this.watchdog.requestLimit()).isBetween(1000L, 1100L);
		}
		assertThat(new WorkerWatchdog(SupervisionSettings.of(1)).requestLimit()).as("no limit").isZero();
	}

	@Test
	void aWorkerIsRecycledOnceItHasServedItsLimit() {
		SupervisedWorker worker = worker(1050);
		assertThat(this.watchdog.recycleReason(worker, load(1049, 0))).isNull();
		assertThat(this.watchdog.recycleReason(worker, load(1050, 0))).isEqualTo("1050 requests (max 1050)");
	}

	@Test
	void aWorkerIsRecycledWhenItsHeapAfterGcStaysOverTheLimitForThreeHeartbeats() {
		SupervisedWorker worker = worker(0);
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
		SupervisedWorker worker = worker(0);
		worker.state(WorkerState.LISTENING);
		worker.seen(this.start + 60 * SECOND);
		assertThat(overdue(this.watchdog, worker, this.start + 60 * SECOND)).isNull();
		assertThat(overdue(this.watchdog, worker, this.start + 61 * SECOND)).isEqualTo(WorkerExitCause.BOOT_TIMEOUT);
		worker.ready(this.start + 61 * SECOND);
		assertThat(overdue(this.watchdog, worker, this.start + 61 * SECOND)).as("ready in time").isNull();
	}

	@Test
	void aConnectedWorkerSilentForTheHeartbeatTimeoutIsOverdueUnlessItsFramesWaitForThePrimary() {
		SupervisedWorker worker = worker(0);
		worker.ready(this.start);
		worker.seen(this.start);
		long late = this.start + 21 * SECOND;
		assertThat(overdue(this.watchdog, worker, this.start + 20 * SECOND)).isNull();
		assertThat(overdue(this.watchdog, worker, late)).isEqualTo(WorkerExitCause.HEARTBEAT_TIMEOUT);
		assertThat(this.watchdog.overdue(worker, late, Duration.ZERO, true)).as("heard, not read yet").isNull();
		worker.state(WorkerState.FORKED);
		assertThat(overdue(this.watchdog, worker, this.start + 30 * SECOND)).as("not connected yet").isNull();
	}

	@Test
	void aWorkerThatTakesNoFrameForTheHeartbeatTimeoutIsOverdueThoughItHeartbeats() {
		SupervisedWorker worker = worker(0);
		worker.ready(this.start);
		worker.seen(this.start + 30 * SECOND);
		WorkerWatchdog.Overdue overdue = this.watchdog.overdue(worker, this.start + 30 * SECOND,
				Duration.ofSeconds(21), false);
		assertThat(overdue).isNotNull();
		assertThat(overdue.cause()).isEqualTo(WorkerExitCause.HEARTBEAT_TIMEOUT);
		assertThat(overdue.reason()).contains("not reading its control channel");
		assertThat(this.watchdog.overdue(worker, this.start + 30 * SECOND, Duration.ofSeconds(20), false)).isNull();
	}

	@Test
	void aReadyWorkerWhoseRequestThreadsTakeNoTaskForTheHangTimeoutIsOverdueThoughItHeartbeats() {
		SupervisedWorker worker = worker(0);
		worker.state(WorkerState.LISTENING);
		worker.seen(this.start);
		worker.load(new WorkerLoad(10, 200, 0, 0, 6000));
		assertThat(overdue(this.watchdog, worker, this.start)).as("not ready: its boot timeout rules").isNull();
		worker.ready(this.start);
		WorkerWatchdog.Overdue overdue = this.watchdog.overdue(worker, this.start, Duration.ZERO, false);
		assertThat(overdue).isNotNull();
		assertThat(overdue.cause()).isEqualTo(WorkerExitCause.HANG_TIMEOUT);
		assertThat(overdue.reason()).isEqualTo("its request threads took no new task for 6000 ms");
		worker.load(new WorkerLoad(10, 200, 0, 0, 5000));
		assertThat(overdue(this.watchdog, worker, this.start)).as("at the limit").isNull();
		worker.load(new WorkerLoad(10, 200, 0, 0, 6000));
		SupervisionSettings noLimit = new SupervisionSettings(1, 1, Duration.ofSeconds(60), Duration.ofMillis(500),
				Duration.ofSeconds(20), Duration.ZERO, Duration.ofSeconds(30), 0, 0, 0, 1, 1, false);
		assertThat(overdue(new WorkerWatchdog(noLimit), worker, this.start)).as("hang-timeout 0").isNull();
	}

	@Test
	void aGapBetweenTwoChecksOfMoreThanASecondIsAPauseOfThePrimaryItself() {
		assertThat(this.watchdog.paused(this.start)).as("the first check").isNull();
		assertThat(this.watchdog.paused(this.start + SECOND / 4)).isNull();
		assertThat(this.watchdog.paused(this.start + SECOND / 4 + SECOND)).isNull();
		assertThat(this.watchdog.paused(this.start + 30 * SECOND)).isEqualTo(Duration.ofMillis(28_750));
		assertThat(this.watchdog.paused(this.start + 30 * SECOND + SECOND / 4)).isNull();
	}

	private static @Nullable WorkerExitCause overdue(WorkerWatchdog watchdog, SupervisedWorker worker, long now) {
		WorkerWatchdog.Overdue overdue = watchdog.overdue(worker, now, Duration.ZERO, false);
		return (overdue != null) ? overdue.cause() : null;
	}

	private SupervisedWorker worker(long requestLimit) {
		return new SupervisedWorker(TestProcess.NO_CONTROL, 1, 1, 0, new TestProcess(4242), this.start, requestLimit);
	}

	private static WorkerLoad load(long requests, long heapAfterGc) {
		return new WorkerLoad(requests, 0, heapAfterGc, heapAfterGc, 0);
	}

}
