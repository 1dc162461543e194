package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SlotSupervisor} through its seams: a spawn that hands out processes
 * the test ends (or fails as the test says), a monotonic clock the test moves, and the
 * real supervisor loop.
 */
class SlotSupervisorTests {

	private static final Duration MIN_UPTIME = Duration.ofSeconds(10);

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop loop = new SupervisorLoop(this.failure);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final Deque<RuntimeException> launchFailures = new ArrayDeque<>();

	private final List<TestProcess> processes = new CopyOnWriteArrayList<>();

	private final WorkerChannels channels = new WorkerChannels(NoSteps.INSTANCE, NoSteps.NO_REPORTS, this.loop, this.failure, this.now::get);

	private final SupervisionSettings settings = FakeCluster.settings(2, Duration.ofSeconds(60),
			Duration.ofSeconds(20), Duration.ofSeconds(30));

	private final WorkerWatchdog watchdog = new WorkerWatchdog(this.settings);

	private final SlotSupervisor slots = new SlotSupervisor(this.settings, this.watchdog,
			new RestartPolicy(Duration.ofMillis(1), Duration.ofMillis(5), MIN_UPTIME, 2), new Recorder(), this.channels,
			this.loop, this.now::get);

	private @Nullable ControlServer control;

	@AfterEach
	void stop() {
		this.loop.shutdownNow();
		if (this.control != null) {
			this.control.close();
		}
	}

	@Test
	void aLaunchThatThrowsAnythingGoesThroughThePolicyToAnErroredSlotThatScalingStartsAgain() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.launchFailures.add(new IllegalStateException("no such thing"));
		}
		start(1);
		await().until(() -> this.events.contains("errored 3"));
		assertThat(this.events).containsExactly("exit 1 launch-failed", "exit 2 launch-failed",
				"exit 3 launch-failed", "errored 3");
		assertThat(this.slots.erroredSlots()).singleElement()
			.satisfies((lastWorker) -> assertThat(lastWorker.pid()).isEqualTo(-1));
		onLoop(() -> this.slots.scale(1));
		await().until(() -> this.events.contains("fork 4"));
		assertThat(this.slots.erroredSlots()).isEmpty();
		assertThat(this.failure.description()).isNull();
	}

	@Test
	void aWorkerThatExitsBeforeItIsReadyIsABootFailureHoweverLongItsBootTook() throws Exception {
		start(1);
		for (int id = 1; id <= 3; id++) {
			awaitForked(id);
			this.now.addAndGet(TimeUnit.HOURS.toNanos(1)); // a very slow boot
			process(id).exit(ProcessExit.ofCode(1));
		}
		await().until(() -> this.events.contains("errored 3"));
		assertThat(this.events).doesNotContain("fork 4");
	}

	@Test
	void aWorkerThatLeavesOnItsOwnBeforeItIsReadyOrWithAFailingExitIsACrash() throws Exception {
		start(1);
		for (int id = 1; id <= 3; id++) {
			awaitForked(id);
			SupervisedWorker worker = this.slots.workers().get(id);
			if (id == 3) { // ready, then its application exits with 1: still a failure
				onLoop(() -> worker.ready(this.now.get()));
			}
			onLoop(() -> this.slots.ending().leaving(worker)); // its context closed
			process(id).exit(ProcessExit.ofCode(1));
		}
		await().until(() -> this.events.contains("errored 3"));
		assertThat(this.events).containsSubsequence("exit 1 crashed", "exit 2 crashed", "exit 3 crashed");
	}

	@Test
	void aReadyWorkerThatLeavesOnItsOwnCleanlyIsRefilledAtOnceWithoutAFailure() throws Exception {
		start(1);
		awaitForked(1);
		SupervisedWorker worker = this.slots.workers().get(1);
		onLoop(() -> worker.ready(this.now.get()));
		onLoop(() -> this.slots.ending().leaving(worker)); // a SIGTERM to it
		process(1).exit(ProcessExit.ofCode(143));
		awaitForked(2);
		assertThat(this.events).containsSubsequence("exit 1 disconnected", "fork 2");
	}

	@Test
	void aWorkerThatServedTheMinimumUptimeForgetsTheSlotsEarlierFailuresWhateverItsEnd() throws Exception {
		start(1);
		awaitForked(1);
		process(1).exit(ProcessExit.ofCode(1));
		awaitForked(2);
		process(2).exit(ProcessExit.ofCode(1)); // two failures: one respawn left
		awaitForked(3);
		SupervisedWorker served = this.slots.workers().get(3);
		onLoop(() -> served.ready(this.now.get()));
		this.now.addAndGet(MIN_UPTIME.toNanos());
		onLoop(() -> this.slots.ending().leaving(served)); // ends cleanly after long service
		process(3).exit(ProcessExit.ofCode(0));
		for (int id = 4; id <= 5; id++) {
			awaitForked(id);
			process(id).exit(ProcessExit.ofCode(1));
		}
		awaitForked(6);
		assertThat(this.events).as("two failures after a fresh start are not yet a crash loop")
			.noneMatch((event) -> event.startsWith("errored"));
	}

	@Test
	void onlyAWorkerReadyForTheMinimumUptimeStartsItsSlotOver() throws Exception {
		start(1);
		for (int id = 1; id <= 5; id++) {
			awaitForked(id);
			SupervisedWorker worker = this.slots.workers().get(id);
			onLoop(() -> worker.ready(this.now.get()));
			this.now.addAndGet(MIN_UPTIME.toNanos());
			process(id).exit(ProcessExit.ofSignal("KILL"));
		}
		awaitForked(6);
		assertThat(this.events).doesNotContain("errored 5");
	}

	@Test
	void aSlotTakenAwayByScalingForgetsItsHistory() throws Exception {
		start(2);
		awaitForked(2);
		process(2).exit(ProcessExit.ofCode(1));
		awaitForked(3);
		process(3).exit(ProcessExit.ofCode(1));
		awaitForked(4); // slot 2's last respawn before a crash loop
		onLoop(() -> this.slots.scale(1));
		await().until(() -> this.events.contains("exit 4 disconnected")); // not connected: ended by SIGTERM
		onLoop(() -> this.slots.scale(2));
		awaitForked(5);
		process(5).exit(ProcessExit.ofCode(1));
		awaitForked(6);
		assertThat(this.events).noneMatch((event) -> event.startsWith("errored"));
	}

	@Test
	void whenTheSlotsWorkerDiesDuringItsReplacementTheSuccessorTakesTheSlotAndIsRespawnedIfItFails()
			throws Exception {
		start(1);
		awaitForked(1);
		SupervisedWorker first = this.slots.workers().get(1);
		onLoop(() -> first.ready(this.now.get()));
		CompletableFuture<Void> rolled = onLoop(this.slots::restart).get(5, TimeUnit.SECONDS);
		awaitForked(2);
		process(1).exit(ProcessExit.ofSignal("KILL"));
		await().until(() -> this.events.contains("exit 1 crashed"));
		assertThat(rolled).as("the successor is the slot's newest launch").succeedsWithin(Duration.ofSeconds(5));
		process(2).exit(ProcessExit.ofCode(1));
		awaitForked(3);
		assertThat(this.slots.workers().sorted()).extracting(SupervisedWorker::id).containsExactly(3);
	}

	@Test
	void aPauseOfThePrimaryItselfIsNotItsWorkersSilenceButAWorkerSilentWhileThePrimaryRunsIsKilled()
			throws Exception {
		start(1);
		awaitForked(1);
		SupervisedWorker worker = this.slots.workers().get(1);
		onLoop(() -> {
			worker.ready(this.now.get());
			worker.seen(this.now.get());
			this.slots.watch();
		});
		this.now.addAndGet(Duration.ofSeconds(30).toNanos()); // the primary was stopped for 30 s
		onLoop(this.slots::watch);
		for (int i = 0; i < 20 * 4; i++) { // then it runs, checking every 250 ms, and hears nothing
			this.now.addAndGet(Duration.ofMillis(250).toNanos());
			onLoop(this.slots::watch);
			assertThat(this.events).as("after %d ms", (i + 1) * 250).doesNotContain("exit 1 heartbeat-timeout");
		}
		this.now.addAndGet(Duration.ofMillis(250).toNanos());
		onLoop(this.slots::watch);
		await().until(() -> this.events.contains("exit 1 heartbeat-timeout"));
	}

	private void start(int workers) throws Exception {
		ControlServer control = ControlServer.start(this.channels);
		this.control = control;
		WorkerLauncher launcher = new WorkerLauncher(new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar",
				"app.jar", List.of(), Map.of()), List.of(), Map.of());
		WorkerSpawner spawner = new WorkerSpawner(launcher, (command, environment) -> spawn(), control,
				TestProcess.NO_CONTROL, this.watchdog, this.failure, this.now::get, Map::of);
		onLoop(() -> this.slots.start(spawner, workers));
	}

	private ChildProcess spawn() {
		RuntimeException failure = this.launchFailures.poll();
		if (failure != null) {
			throw failure;
		}
		TestProcess process = new TestProcess(1000 + this.processes.size());
		this.processes.add(process);
		return process;
	}

	private void awaitForked(int id) {
		await().until(() -> this.events.contains("fork " + id));
	}

	private TestProcess process(int workerId) {
		SupervisedWorker worker = this.slots.workers().get(workerId);
		assertThat(worker).as("worker %d", workerId).isNotNull();
		return (TestProcess) worker.process();
	}

	private <T> CompletableFuture<T> onLoop(Supplier<T> task) {
		return CompletableFuture.supplyAsync(task, this.loop);
	}

	private void onLoop(Runnable task) throws Exception {
		CompletableFuture.runAsync(task, this.loop).get(5, TimeUnit.SECONDS);
	}

	private final class Recorder implements WorkerListener {

		@Override
		public void forked(SupervisedWorker worker) {
			SlotSupervisorTests.this.events.add("fork " + worker.id());
		}

		@Override
		public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
			SlotSupervisorTests.this.events.add("exit " + worker.id() + " " + cause.toValue());
		}

		@Override
		public void errored(SupervisedWorker lastWorker, int failures) {
			SlotSupervisorTests.this.events.add("errored " + lastWorker.id());
		}

	}

}
