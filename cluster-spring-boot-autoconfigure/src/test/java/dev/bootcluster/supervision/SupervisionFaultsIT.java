package dev.bootcluster.supervision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.SocketMode;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Faults a production cluster meets, injected into real {@link FakeWorker} processes and
 * checked as a user sees them: a worker that stops (or stops reading) during a large
 * broadcast, one that floods, a listener that hangs, boots that fail late, a worker that
 * cannot be launched at all, restarts and scaling that overlap. In every case supervision
 * goes on: siblings are refilled on time and nothing waits forever.
 */
class SupervisionFaultsIT {

	private static final int NEARLY_ONE_MIB = 1024 * 1024 - 1024;

	private static final SupervisionSettings QUICK_HEARTBEATS = FakeCluster.settings(2, Duration.ofSeconds(60),
			Duration.ofSeconds(2), Duration.ofSeconds(30));

	private FakeCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aStoppedWorkerDuringAOneMebibyteBroadcastIsKilledAtTheHeartbeatTimeoutWhileASiblingIsRefilledOnTime()
			throws Exception {
		this.cluster = FakeCluster.start(SocketMode.INHERIT,
				FakeCluster.settings(2, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30)));
		this.cluster.awaitReady(2);
		SupervisedWorker stopped = this.cluster.worker(1);
		signal(stopped.pid(), "STOP");
		PrimaryMessenger messenger = messenger();
		long sent = System.nanoTime();
		int refused = 0;
		for (int i = 0; i < 8; i++) {
			try {
				messenger.broadcast("x".repeat(NEARLY_ONE_MIB));
			}
			catch (MessageDeliveryException ex) {
				assertThat(ex).hasMessageContaining("worker 1 is not reading its control channel");
				refused++;
			}
		}
		assertThat(refused).as("broadcasts that found the stopped worker's queue full").isPositive();
		assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("broadcasts only queue").isLessThan(
				Duration.ofSeconds(2));
		this.cluster.worker(2).kill("KILL");
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.cluster.events).contains("exit 2 killed", "ready 3"));
		assertThat(this.cluster.events).as("the sibling is refilled while worker 1 is still stopped")
			.doesNotContain("exit 1 heartbeat-timeout");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.cluster.events.contains("exit 1 heartbeat-timeout"));
		this.cluster.awaitReady(2);
		assertThat(stopped.exit()).isEqualTo(ProcessExit.ofSignal("KILL"));
		assertThat(this.cluster.primary.snapshot().isAvailable(1)).isTrue();
	}

	@Test
	void aWorkerThatHeartbeatsButStopsReadingIsRefusedMessagesAndKilledWhenNothingIsTakenForTheHeartbeatTimeout()
			throws Exception {
		this.cluster = FakeCluster.start(SocketMode.INHERIT, QUICK_HEARTBEATS, "-Dfake.stop-reading=true");
		this.cluster.awaitReady(2);
		PrimaryMessenger messenger = messenger();
		assertThatExceptionOfType(MessageDeliveryException.class).isThrownBy(() -> {
			for (int i = 0; i < 64; i++) {
				messenger.send(1, "x".repeat(NEARLY_ONE_MIB));
			}
		}).withMessageContaining("worker 1 is not reading its control channel");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.cluster.events.contains("exit 1 heartbeat-timeout"));
		assertThat(this.cluster.worker(2).state()).isEqualTo(WorkerState.READY);
		this.cluster.awaitReady(2);
	}

	@Test
	void aFloodingWorkerIsReadNoFurtherThanItsWindowWhileItsMessagesWaitAndLosesNone(@TempDir Path directory)
			throws Exception {
		Path progress = directory.resolve("progress");
		Files.writeString(progress, "0");
		CountDownLatch listenerHeld = new CountDownLatch(1);
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(1), FakeCluster.quickRestarts(),
				new WorkerListener() {

					@Override
					public void message(SupervisedWorker worker, JsonNode payload) {
						hold(listenerHeld);
					}

				}, "-Dfake.flood=1000", "-Dfake.flood-bytes=" + 64 * 1024, "-Dfake.progress-file=" + progress);
		await().until(() -> sent(progress) > 0);
		// the worker's own queue (4 MiB), the primary's window (2 MiB), the socket's buffers and
		// the frame in hand: about a hundred frames, not a thousand
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> sent(progress) <= 200);
		assertThat(this.cluster.worker(1).state()).as("a worker held back is heard, not hung")
			.isEqualTo(WorkerState.READY);
		listenerHeld.countDown();
		await().atMost(Duration.ofSeconds(60)).until(() -> this.cluster.messages.size() == 1000);
		assertThat(this.cluster.messages).extracting((message) -> message.substring(0, message.indexOf(",")))
			.containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj((n) -> "1 {\"n\":" + n).toList());
	}

	@Test
	void aListenerThatHangsDelaysOnlyLaterEventsNeverSupervision() throws Exception {
		CountDownLatch listenerHeld = new CountDownLatch(1);
		List<String> told = new CopyOnWriteArrayList<>();
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(2), FakeCluster.quickRestarts(),
				new WorkerListener() {

					@Override
					public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
						told.add("exit " + worker.id());
						hold(listenerHeld);
					}

					@Override
					public void ready(SupervisedWorker worker) {
						told.add("ready " + worker.id());
						throw new IllegalStateException("a listener that throws");
					}

				});
		this.cluster.awaitReady(2);
		this.cluster.worker(1).kill("KILL");
		await().until(() -> told.contains("exit 1"));
		this.cluster.worker(2).kill("KILL");
		this.cluster.awaitReady(2);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id).containsExactly(3, 4);
		assertThat(told).as("events after the hung listener wait for it").hasSize(3).endsWith("exit 1");
		listenerHeld.countDown();
		await().untilAsserted(() -> assertThat(told).as("every event, though a listener threw on each ready")
			.hasSize(6)
			.element(2)
			.isEqualTo("exit 1"));
		assertThat(told.subList(3, 6)).containsExactlyInAnyOrder("exit 2", "ready 3", "ready 4");
	}

	@Test
	void anErrorTheJvmMayNotRecoverFromMakesTheClusterUnavailableForGoodWhileSupervisionGoesOn() throws Exception {
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(1), FakeCluster.quickRestarts(),
				new WorkerListener() {

					@Override
					public void ready(SupervisedWorker worker) {
						throw new OutOfMemoryError("Java heap space");
					}

				});
		this.cluster.awaitReady(1);
		await().until(() -> this.cluster.primary.snapshot().primary().failure() != null);
		ClusterSnapshot snapshot = this.cluster.primary.snapshot();
		assertThat(snapshot.primary().failure()).startsWith("a listener of the ready of worker 1")
			.endsWith("java.lang.OutOfMemoryError: Java heap space");
		assertThat(snapshot.isAvailable(1)).as("though a worker is READY").isFalse();
		this.cluster.worker(1).kill("KILL");
		await().until(() -> this.cluster.events.contains("ready 2"));
		assertThat(this.cluster.primary.snapshot().isAvailable(1)).isFalse();
	}

	@Test
	void aWorkerWhoseBootFailsLateEndsErroredAfterMaxRestartsWithGrowingDelays() throws Exception {
		List<Long> forks = new CopyOnWriteArrayList<>();
		List<Long> exits = new CopyOnWriteArrayList<>();
		// min-uptime (1 s) is shorter than the boot (1.5 s): counted from READY, each is a boot failure
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(1),
				new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1), 3),
				new WorkerListener() {

					@Override
					public void forked(SupervisedWorker worker) {
						forks.add(System.nanoTime());
					}

					@Override
					public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
						exits.add(System.nanoTime());
					}

				}, "-Dfake.fail-after=1500");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.cluster.events.contains("errored 4"));
		assertThat(this.cluster.events).containsSubsequence("fork 1", "exit 1 crashed", "fork 2", "exit 2 crashed",
				"fork 3", "exit 3 crashed", "fork 4", "exit 4 crashed", "errored 4");
		assertThat(this.cluster.events).doesNotContain("fork 5");
		List<Long> delays = IntStream.range(0, 3)
			.mapToObj((i) -> TimeUnit.NANOSECONDS.toMillis(forks.get(i + 1) - exits.get(i)))
			.toList();
		assertThat(delays.get(0)).isBetween(150L, 1000L);
		assertThat(delays.get(1)).isGreaterThan(delays.get(0) + 100);
		assertThat(delays.get(2)).isGreaterThan(delays.get(1) + 200);
		ClusterSnapshot snapshot = this.cluster.primary.snapshot();
		assertThat(snapshot.workers()).singleElement()
			.satisfies((slot) -> assertThat(slot.state()).isEqualTo(WorkerState.ERRORED));
		assertThat(snapshot.isAvailable(1)).isFalse();
	}

	@Test
	void aWorkerThatCannotBeLaunchedEndsInAnErroredSlotThatScalingStartsAgain() throws Exception {
		this.cluster = FakeCluster.withoutJava(SocketMode.INHERIT, SupervisionSettings.of(1));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.events.contains("errored 4"));
		assertThat(this.cluster.events).containsExactly("exit 1 launch-failed", "exit 2 launch-failed",
				"exit 3 launch-failed", "exit 4 launch-failed", "errored 4");
		ClusterSnapshot snapshot = this.cluster.primary.snapshot();
		assertThat(snapshot.workers()).singleElement().satisfies((slot) -> {
			assertThat(slot.state()).isEqualTo(WorkerState.ERRORED);
			assertThat(slot.pid()).isEqualTo(-1);
		});
		assertThat(snapshot.exits()).allSatisfy((exit) -> {
			assertThat(exit.code()).isNull();
			assertThat(exit.signal()).isNull();
		});
		this.cluster.primary.scale(1);
		await().until(() -> this.cluster.events.contains("exit 5 launch-failed"));
	}

	@Test
	void aRestartAskedForDuringARollRollsEveryWorkerOntoTheNewestLaunch() throws Exception {
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(3));
		this.cluster.awaitReady(3);
		var first = this.cluster.primary.restart();
		await().until(() -> this.cluster.events.contains("fork 4"));
		var second = this.cluster.primary.restart();
		second.get(60, TimeUnit.SECONDS);
		first.get(1, TimeUnit.SECONDS);
		this.cluster.awaitReady(3);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id)
			.as("every worker launched after the second restart was asked for")
			.allSatisfy((id) -> assertThat(id).isGreaterThan(4));
	}

	@Test
	void scalingDownDuringARollNeitherStallsItNorLeavesItIncomplete() throws Exception {
		this.cluster = FakeCluster.start(SocketMode.INHERIT, SupervisionSettings.of(3));
		this.cluster.awaitReady(3);
		var rolled = this.cluster.primary.restart();
		await().until(() -> this.cluster.events.contains("fork 4"));
		this.cluster.primary.scale(1);
		rolled.get(60, TimeUnit.SECONDS);
		this.cluster.awaitReady(1);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id)
			.allSatisfy((id) -> assertThat(id).isGreaterThan(3));
		this.cluster.primary.scale(2);
		this.cluster.awaitReady(2);
	}

	private static int sent(Path progress) throws Exception {
		return Integer.parseInt(Files.readString(progress).trim());
	}

	private PrimaryMessenger messenger() {
		return new PrimaryMessenger(this.cluster.primary, JsonMapper.builder().build());
	}

	private static void hold(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void signal(long pid, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

}
