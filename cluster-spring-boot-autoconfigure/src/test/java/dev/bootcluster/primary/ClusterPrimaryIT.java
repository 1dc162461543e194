package dev.bootcluster.primary;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.socket.ProcessExit;
import dev.bootcluster.socket.SocketMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterPrimary} with real worker processes ({@link FakeWorker}s) on a
 * real shared socket: scaling, replacing and killing workers, operations as an operator
 * asks for them, and messages to and from workers (which echo them); in each mode.
 */
@ParameterizedClass
@EnumSource(value = SocketMode.class, names = { "INHERIT", "RELAY" })
class ClusterPrimaryIT {

	@Parameter
	SocketMode mode;

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<String> messages = new CopyOnWriteArrayList<>();

	private ClusterPrimary primary;

	@BeforeEach
	void start() throws Exception {
		this.primary = start(SupervisionSettings.of(2));
		awaitReady(2);
	}

	private ClusterPrimary start(SupervisionSettings settings, String... workerJvmArgs) throws Exception {
		PrimaryRuntime runtime = new PrimaryRuntime(ProcessHandle.current().info().command().orElseThrow(),
				List.of("-XX:TieredStopAtLevel=1"), System.getProperty("java.class.path"), FakeWorker.class.getName(),
				List.of(), System.getenv());
		WorkerLauncher launcher = new WorkerLauncher(runtime, List.of(workerJvmArgs), Map.of());
		RestartPolicy restarts = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
				Duration.ofSeconds(10), 3);
		SocketSettings socketSettings = new SocketSettings(this.mode, Duration.ofMinutes(1), Duration.ofSeconds(2));
		ClusterPrimary primary = new ClusterPrimary(settings, socketSettings, launcher, restarts,
				new RecordingListener());
		primary.start(InetAddress.getLoopbackAddress(), 0, 50);
		return primary;
	}

	@AfterEach
	void stop() {
		List<Worker> workers = this.primary.workers();
		this.primary.stop();
		assertThat(workers).allSatisfy((worker) -> assertThat(ProcessHandle.of(worker.pid())).isEmpty());
	}

	@Test
	void scalingUpAddsWorkersAndScalingDownDrainsTheNewest() {
		this.primary.scale(4);
		awaitReady(4);
		this.primary.scale(1);
		await().until(() -> this.primary.workers().size() == 1);
		assertThat(this.primary.workers()).singleElement().satisfies((worker) -> assertThat(worker.id()).isEqualTo(1));
		assertThat(this.primary.snapshot().exits()).hasSize(3).allSatisfy((exit) -> {
			assertThat(exit.cause()).isEqualTo(WorkerExitCause.DISCONNECTED);
			assertThat(exit.exitedAfterDisconnect()).isTrue();
		});
		assertThatIllegalArgumentException().isThrownBy(() -> this.primary.scale(0));
	}

	@Test
	void aReplacedWorkerDrainsOnlyOnceItsReplacementIsReady() {
		Worker old = this.primary.worker(1).orElseThrow();
		this.primary.replace(old);
		await().until(() -> this.events.contains("exit 1 disconnected"));
		assertThat(this.events).containsSubsequence("fork 3", "ready 3", "disconnect 1", "exit 1 disconnected");
		awaitReady(2);
	}

	@Test
	void aKilledWorkerIsRefilledAtOnce() {
		Worker victim = this.primary.worker(2).orElseThrow();
		victim.kill("KILL");
		await().until(() -> this.events.contains("exit 2 killed"));
		assertThat(victim.exit()).isEqualTo(ProcessExit.ofSignal("KILL"));
		assertThat(victim.exitedAfterDisconnect()).isTrue();
		awaitReady(2);
		assertThat(this.primary.workers()).extracting(Worker::id).containsExactly(1, 3);
		assertThat(this.primary.worker(3).orElseThrow().restarts()).isEqualTo(1);
	}

	@Test
	void aRollingRestartReplacesEveryWorkerWhileTheReadyCountHolds() throws Exception {
		this.primary.restart().get();
		assertThat(this.primary.workers()).filteredOn((worker) -> worker.state() == WorkerState.READY)
			.extracting(Worker::id)
			.containsExactly(3, 4);
		await().until(() -> this.primary.workers().size() == 2); // worker 2 drains after worker 4 is ready
		assertThat(this.events).containsSubsequence("ready 3", "disconnect 1", "fork 4", "ready 4", "disconnect 2");
	}

	@Test
	void aWorkerThatIsNeverReadyTimesOutUntilItsSlotIsErrored() throws Exception {
		this.primary.stop();
		this.events.clear();
		this.primary = start(new SupervisionSettings(1, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20),
				Duration.ofSeconds(30), 0, 0, 0, 1, 1), "-Dfake.never-ready=true");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.events.contains("errored 3"));
		assertThat(this.events).containsSubsequence("fork 1", "exit 1 boot-timeout", "fork 2", "exit 2 boot-timeout",
				"fork 3", "exit 3 boot-timeout", "errored 3");
		assertThat(this.primary.snapshot().workers()).singleElement()
			.satisfies((slot) -> assertThat(slot.state()).isEqualTo(WorkerState.ERRORED));
		assertThat(this.primary.snapshot().exits()).allSatisfy((exit) -> {
			assertThat(exit.signal()).isEqualTo("SIGKILL");
			assertThat(exit.exitedAfterDisconnect()).isFalse();
		});
	}

	@Test
	void aWorkerThatConnectsLaterThanTheHeartbeatTimeoutIsNotTakenForHung() throws Exception {
		this.primary.stop();
		this.events.clear();
		// connects 2.5 s after its start, against a 1 s heartbeat timeout; then is silent for 0.5 s
		this.primary = start(new SupervisionSettings(1, Duration.ofSeconds(60), Duration.ofMillis(250), Duration.ofSeconds(1),
				Duration.ofSeconds(30), 0, 0, 0, 1, 1), "-Dfake.connect-delay=2500", "-Dfake.online-delay=500");
		awaitReady(1);
		assertThat(this.primary.snapshot().exits()).isEmpty();
	}

	@Test
	void aWorkerThatDoesNotDrainInTimeIsKilled() throws Exception {
		this.primary.stop();
		this.events.clear();
		this.primary = start(new SupervisionSettings(1, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(20),
				Duration.ofSeconds(1), 0, 0, 0, 1, 1), "-Dfake.stubborn=true");
		awaitReady(1);
		this.primary.worker(1).orElseThrow().disconnect();
		await().until(() -> this.events.contains("exit 1 kill-timeout"));
		assertThat(this.primary.snapshot().exits()).singleElement().satisfies((exit) -> {
			assertThat(exit.signal()).isEqualTo("SIGKILL");
			assertThat(exit.exitedAfterDisconnect()).isTrue();
		});
		awaitReady(1);
	}

	@Test
	void messagesToAWorkerComeBackInTheOrderSent() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.primary, JsonMapper.builder().build());
		for (int i = 0; i < 200; i++) {
			messenger.send(1, Map.of("n", i));
		}
		await().until(() -> this.messages.size() == 200);
		assertThat(this.messages).containsExactlyElementsOf(
				IntStream.range(0, 200).mapToObj((i) -> "1 {\"n\":" + i + "}").toList());
	}

	@Test
	void aBroadcastReachesEveryConnectedWorker() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.primary, JsonMapper.builder().build());
		assertThat(messenger.broadcast("hello")).containsExactly(1, 2);
		await().until(() -> this.messages.size() == 2);
		assertThat(this.messages).containsExactlyInAnyOrder("1 \"hello\"", "2 \"hello\"");
	}

	@Test
	void aMessageToAWorkerThatIsNotRunningFailsVisibly() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.primary, JsonMapper.builder().build());
		Worker victim = this.primary.worker(2).orElseThrow();
		victim.kill("KILL");
		await().until(victim::isDead);
		assertThatExceptionOfType(MessageDeliveryException.class).isThrownBy(() -> messenger.send(2, "anyone?"))
			.withMessage("Worker 2 is not connected: it has exited or is not online yet");
		assertThatExceptionOfType(MessageDeliveryException.class).isThrownBy(() -> messenger.send(99, "anyone?"));
	}

	@Test
	void aMessageOverTheFrameLimitIsRefusedByTheSenderAndTheChannelStaysUsable() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.primary, JsonMapper.builder().build());
		assertThatIllegalArgumentException().isThrownBy(() -> messenger.send(1, "x".repeat(2 * 1024 * 1024)))
			.withMessageStartingWith("The message to worker 1 was not sent: Control frame of ")
			.withMessageContaining("over the limit of 1048576 bytes");
		messenger.send(1, "still there");
		await().until(() -> this.messages.contains("1 \"still there\""));
		assertThat(this.primary.worker(1)).isPresent();
	}

	@Test
	void operationsAnswerWithTheStateOnceApplied() throws Exception {
		ClusterOperations operations = this.primary.operations();
		assertThat(operations.scale(3).get().workers()).hasSize(3);
		assertThat(operations.replace(1).get().workers()).extracting(ClusterSnapshot.WorkerSummary::id)
			.containsExactly(1, 2, 3, 4);
		assertThat(operations.replace(99)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(NoSuchWorkerException.class)
			.withMessageContaining("No worker 99 is running");
		assertThat(operations.scale(0)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("cluster.min-ready is 1");
		awaitReady(3);
	}

	private void awaitReady(int count) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.primary.workers().stream().filter((w) -> w.state() == WorkerState.READY).count() == count
					&& this.primary.workers().size() == count);
	}

	private final class RecordingListener implements WorkerListener {

		@Override
		public void forked(Worker worker) {
			ClusterPrimaryIT.this.events.add("fork " + worker.id());
		}

		@Override
		public void ready(Worker worker) {
			ClusterPrimaryIT.this.events.add("ready " + worker.id());
		}

		@Override
		public void disconnecting(Worker worker) {
			ClusterPrimaryIT.this.events.add("disconnect " + worker.id());
		}

		@Override
		public void exited(Worker worker, ProcessExit exit, WorkerExitCause cause) {
			ClusterPrimaryIT.this.events.add("exit " + worker.id() + " " + cause.toValue());
		}

		@Override
		public void message(Worker worker, JsonNode payload) {
			ClusterPrimaryIT.this.messages.add(worker.id() + " " + payload);
		}

		@Override
		public void errored(Worker lastWorker, int failures) {
			ClusterPrimaryIT.this.events.add("errored " + lastWorker.id());
		}

	}

}
