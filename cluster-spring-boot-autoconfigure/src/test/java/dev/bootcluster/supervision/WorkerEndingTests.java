package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerEnding} with processes that record the signals they get.
 */
class WorkerEndingTests {

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop loop = new SupervisorLoop(this.failure);

	private final List<String> told = new CopyOnWriteArrayList<>();

	private final WorkerEnding ending = new WorkerEnding(Duration.ofMillis(200),
			new WorkerChannels(NoSteps.INSTANCE, NoSteps.NO_REPORTS, this.loop, this.failure, System::nanoTime), new WorkerListener() {

				@Override
				public void disconnecting(SupervisedWorker worker) {
					WorkerEndingTests.this.told.add("disconnecting " + worker.id());
				}

			}, this.loop);

	@AfterEach
	void stop() {
		this.loop.shutdownNow();
	}

	@Test
	void aWorkerNotConnectedIsAskedToDrainBySigtermAndItsExitCountsAsAskedFor() throws Exception {
		StubbornProcess process = new StubbornProcess();
		SupervisedWorker worker = worker(process);
		onLoop(() -> this.ending.disconnect(worker, WorkerExitCause.RECYCLED));
		assertThat(process.signals).containsExactly("TERM");
		assertThat(worker.state()).isEqualTo(WorkerState.DISCONNECTING);
		assertThat(worker.endedBy()).isEqualTo(WorkerExitCause.RECYCLED);
		assertThat(worker.exitedAfterDisconnect()).isTrue();
		assertThat(this.told).containsExactly("disconnecting 1");
	}

	@Test
	void aWorkerThatDoesNotDrainWithinTheKillTimeoutIsKilledForIt() throws Exception {
		StubbornProcess process = new StubbornProcess();
		SupervisedWorker worker = worker(process);
		onLoop(() -> this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED));
		onLoop(() -> this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED));
		await().until(() -> process.signals.contains("QUIT"));
		assertThat(process.signals).as("time to print the dump").containsExactly("TERM", "QUIT");
		await().until(() -> process.signals.contains("KILL"));
		assertThat(process.signals).as("one disconnect, a thread dump, then the kill")
			.containsExactly("TERM", "QUIT", "KILL");
		assertThat(worker.endedBy()).isEqualTo(WorkerExitCause.KILL_TIMEOUT);
		assertThat(this.told).containsExactly("disconnecting 1");
	}

	@Test
	void aStuckWorkerIsAskedForAThreadDumpThenKilledAndOneThatCannotDumpIsKilledAtOnce() throws Exception {
		StubbornProcess process = new StubbornProcess();
		SupervisedWorker worker = worker(process);
		onLoop(() -> this.ending.kill(worker, WorkerExitCause.HEARTBEAT_TIMEOUT, false));
		assertThat(process.signals).containsExactly("QUIT");
		assertThat(worker.endedBy()).isEqualTo(WorkerExitCause.HEARTBEAT_TIMEOUT);
		assertThat(worker.exitedAfterDisconnect()).isFalse();
		await().until(() -> process.signals.size() == 2);
		assertThat(process.signals).containsExactly("QUIT", "KILL");
		StubbornProcess mute = new StubbornProcess() {

			@Override
			public boolean requestThreadDump() {
				return false; // Windows
			}

		};
		SupervisedWorker onWindows = worker(mute);
		onLoop(() -> this.ending.kill(onWindows, WorkerExitCause.BOOT_TIMEOUT, false));
		assertThat(mute.signals).containsExactly("KILL");
	}

	@Test
	void aWorkerThatDiesWhileItPrintsItsDumpIsNotSignalledAgain() throws Exception {
		StubbornProcess process = new StubbornProcess();
		SupervisedWorker worker = worker(process);
		onLoop(() -> this.ending.kill(worker, WorkerExitCause.HEARTBEAT_TIMEOUT, false));
		onLoop(() -> worker.exited(ProcessExit.ofCode(1)));
		await().during(WorkerEnding.THREAD_DUMP_WAIT.plusMillis(300)).until(() -> process.signals.size() == 1);
	}

	@Test
	void aWorkerThatDrainedInTimeIsNotKilled() throws Exception {
		StubbornProcess process = new StubbornProcess();
		SupervisedWorker worker = worker(process);
		onLoop(() -> this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED));
		onLoop(() -> worker.exited(ProcessExit.ofCode(0)));
		await().during(Duration.ofMillis(300)).until(() -> process.signals.size() == 1);
		onLoop(() -> this.ending.signal(worker, "KILL", WorkerExitCause.KILLED, true));
		assertThat(process.signals).as("a dead worker gets no signal").containsExactly("TERM");
	}

	private static SupervisedWorker worker(ChildProcess process) {
		return new SupervisedWorker(TestProcess.NO_CONTROL, 1, 1, 0, process, System.nanoTime(), 0);
	}

	private void onLoop(Runnable task) throws Exception {
		CompletableFuture.runAsync(task, this.loop).get();
	}

	/**
	 * A process that records its signals and never ends.
	 */
	private static class StubbornProcess implements ChildProcess {

		final List<String> signals = new CopyOnWriteArrayList<>();

		@Override
		public long pid() {
			return 4242;
		}

		@Override
		public CompletableFuture<ProcessExit> onExit() {
			return new CompletableFuture<>();
		}

		@Override
		public boolean signal(String signal) {
			this.signals.add(signal);
			return true;
		}

	}

}
