package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.SocketMode;
import dev.bootcluster.WorkerCount;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
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

	private FakeCluster cluster;

	@BeforeEach
	void start() throws Exception {
		this.cluster = FakeCluster.start(this.mode, SupervisionSettings.of(2));
		this.cluster.awaitReady(2);
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void scalingUpAddsWorkersAndScalingDownDrainsTheNewest() {
		this.cluster.primary.scale(4);
		this.cluster.awaitReady(4);
		this.cluster.primary.scale(1);
		await().until(() -> this.cluster.primary.workers().size() == 1);
		assertThat(this.cluster.primary.workers()).singleElement()
			.satisfies((worker) -> assertThat(worker.id()).isEqualTo(1));
		assertThat(this.cluster.primary.snapshot().exits()).hasSize(3).allSatisfy((exit) -> {
			assertThat(exit.cause()).isEqualTo(WorkerExitCause.DISCONNECTED);
			assertThat(exit.exitedAfterDisconnect()).isTrue();
		});
		assertThatIllegalArgumentException().isThrownBy(() -> this.cluster.primary.scale(0));
	}

	@Test
	void aReplacedWorkerDrainsOnlyOnceItsReplacementIsReady() {
		SupervisedWorker old = this.cluster.primary.worker(1).orElseThrow();
		this.cluster.primary.replace(old);
		await().until(() -> this.cluster.events.contains("exit 1 disconnected"));
		assertThat(this.cluster.events).containsSubsequence("fork 3", "ready 3", "disconnect 1", "exit 1 disconnected");
		this.cluster.awaitReady(2);
	}

	@Test
	void aKilledWorkerIsRefilledAtOnce() {
		SupervisedWorker victim = this.cluster.primary.worker(2).orElseThrow();
		victim.kill("KILL");
		await().until(() -> this.cluster.events.contains("exit 2 killed"));
		assertThat(victim.exit()).isEqualTo(ProcessExit.ofSignal("KILL"));
		assertThat(victim.exitedAfterDisconnect()).isTrue();
		this.cluster.awaitReady(2);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id).containsExactly(1, 3);
		assertThat(this.cluster.primary.worker(3).orElseThrow().restarts()).isEqualTo(1);
	}

	@Test
	void aRollingRestartReplacesEveryWorkerWhileTheReadyCountHolds() throws Exception {
		this.cluster.primary.restart().get();
		assertThat(this.cluster.primary.workers()).filteredOn((worker) -> worker.state() == WorkerState.READY)
			.extracting(SupervisedWorker::id)
			.containsExactly(3, 4);
		await().until(() -> this.cluster.primary.workers().size() == 2); // worker 2 drains after worker 4 is ready
		assertThat(this.cluster.events).containsSubsequence("ready 3", "disconnect 1", "fork 4", "ready 4", "disconnect 2");
	}

	@Test
	void aWorkerThatIsNeverReadyTimesOutUntilItsSlotIsErroredAfterMaxRestartsRespawns() throws Exception {
		this.cluster.close();
		this.cluster = FakeCluster.start(this.mode,
				FakeCluster.settings(1, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30)),
				"-Dfake.never-ready=true");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.cluster.events.contains("errored 4"));
		assertThat(this.cluster.events).containsSubsequence("fork 1", "exit 1 boot-timeout", "fork 2",
				"exit 2 boot-timeout", "fork 3", "exit 3 boot-timeout", "fork 4", "exit 4 boot-timeout", "errored 4");
		assertThat(this.cluster.primary.snapshot().workers()).singleElement()
			.satisfies((slot) -> assertThat(slot.state()).isEqualTo(WorkerState.ERRORED));
		assertThat(this.cluster.primary.snapshot().exits()).allSatisfy((exit) -> {
			assertThat(exit.signal()).isEqualTo("SIGKILL");
			assertThat(exit.exitedAfterDisconnect()).isFalse();
		});
	}

	@Test
	void aWorkerThatConnectsLaterThanTheHeartbeatTimeoutIsNotTakenForHung() throws Exception {
		this.cluster.close();
		// connects 2.5 s after its start, against a 1 s heartbeat timeout; then is silent for 0.5 s
		this.cluster = FakeCluster.start(this.mode,
				FakeCluster.settings(1, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(30)),
				"-Dfake.connect-delay=2500", "-Dfake.online-delay=500");
		this.cluster.awaitReady(1);
		assertThat(this.cluster.primary.snapshot().exits()).isEmpty();
	}

	@Test
	void aWorkerThatDoesNotDrainInTimeIsKilled() throws Exception {
		this.cluster.close();
		this.cluster = FakeCluster.start(this.mode,
				FakeCluster.settings(1, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(1)),
				"-Dfake.stubborn=true");
		this.cluster.awaitReady(1);
		this.cluster.primary.worker(1).orElseThrow().disconnect();
		await().until(() -> this.cluster.events.contains("exit 1 kill-timeout"));
		assertThat(this.cluster.primary.snapshot().exits()).singleElement().satisfies((exit) -> {
			assertThat(exit.signal()).isEqualTo("SIGKILL");
			assertThat(exit.exitedAfterDisconnect()).isTrue();
		});
		this.cluster.awaitReady(1);
	}

	@Test
	void messagesToAWorkerComeBackInTheOrderSent() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.cluster.primary, JsonMapper.builder().build());
		for (int i = 0; i < 200; i++) {
			messenger.send(1, Map.of("n", i));
		}
		await().until(() -> this.cluster.messages.size() == 200);
		assertThat(this.cluster.messages).containsExactlyElementsOf(
				IntStream.range(0, 200).mapToObj((i) -> "1 {\"n\":" + i + "}").toList());
	}

	@Test
	void aBroadcastReachesEveryConnectedWorker() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.cluster.primary, JsonMapper.builder().build());
		assertThat(messenger.broadcast("hello")).containsExactly(1, 2);
		await().until(() -> this.cluster.messages.size() == 2);
		assertThat(this.cluster.messages).containsExactlyInAnyOrder("1 \"hello\"", "2 \"hello\"");
	}

	@Test
	void aMessageToAWorkerThatIsNotRunningFailsVisibly() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.cluster.primary, JsonMapper.builder().build());
		SupervisedWorker victim = this.cluster.primary.worker(2).orElseThrow();
		victim.kill("KILL");
		await().until(victim::isDead);
		assertThatExceptionOfType(MessageDeliveryException.class).isThrownBy(() -> messenger.send(2, "anyone?"))
			.withMessage("Worker 2 is not connected: it has exited or is not online yet");
		assertThatExceptionOfType(MessageDeliveryException.class).isThrownBy(() -> messenger.send(99, "anyone?"));
	}

	@Test
	void aMessageOverTheFrameLimitIsRefusedByTheSenderAndTheChannelStaysUsable() {
		PrimaryMessenger messenger = new PrimaryMessenger(this.cluster.primary, JsonMapper.builder().build());
		assertThatIllegalArgumentException().isThrownBy(() -> messenger.send(1, "x".repeat(2 * 1024 * 1024)))
			.withMessageStartingWith("The message to worker 1 was not sent: Control frame of ")
			.withMessageContaining("over the limit of 1048576 bytes");
		messenger.send(1, "still there");
		await().until(() -> this.cluster.messages.contains("1 \"still there\""));
		assertThat(this.cluster.primary.worker(1)).isPresent();
	}

	@Test
	void operationsAnswerWithTheStateOnceApplied() throws Exception {
		ClusterOperations operations = this.cluster.primary.operations();
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
		String overTheLimit = "Cannot scale to 2147483647 worker(s): cluster.max-workers is "
				+ WorkerCount.defaultMax();
		assertThat(operations.scale(Integer.MAX_VALUE)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessage(overTheLimit);
		assertThatIllegalArgumentException().isThrownBy(() -> this.cluster.primary.scale(Integer.MAX_VALUE))
			.withMessage(overTheLimit);
		this.cluster.awaitReady(3);
		assertThat(operations.state().get().workers()).hasSize(3);
	}

	@Test
	void aWorkerOnlyReadsTheClusterUnlessTheEndpointsAccessIsUnrestricted() throws Exception {
		this.cluster.close();
		this.cluster = FakeCluster.start(this.mode, settings(false),
				"-Dfake.queries=STATE:0,SCALE:2,RESTART:0,REPLACE:1");
		await().until(() -> this.cluster.messages.size() == 4);
		String refusal = " refused FORBIDDEN: A worker cannot %s: that needs "
				+ "management.endpoint.cluster.access=unrestricted (else workers only read the state)\"";
		assertThat(this.cluster.messages).containsExactly("1 \"STATE:0 ok\"",
				"1 \"SCALE:2" + refusal.formatted("scale the cluster"),
				"1 \"RESTART:0" + refusal.formatted("restart the workers"),
				"1 \"REPLACE:1" + refusal.formatted("replace a worker"));
		this.cluster.awaitReady(1);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id).containsExactly(1);
	}

	@Test
	void withUnrestrictedAccessAWorkerScalesTheClusterWithinItsLimit() throws Exception {
		this.cluster.close();
		this.cluster = FakeCluster.start(this.mode, settings(true), "-Dfake.queries=SCALE:2147483647,SCALE:2");
		await().until(() -> this.cluster.messages.size() >= 2);
		assertThat(this.cluster.messages).startsWith(
				"1 \"SCALE:2147483647 refused INVALID: Cannot scale to 2147483647 worker(s): cluster.max-workers is 2\"",
				"1 \"SCALE:2 ok\"");
		this.cluster.awaitReady(2);
		assertThat(this.cluster.primary.workers()).extracting(SupervisedWorker::id).containsExactly(1, 2);
	}

	/**
	 * One worker, at most two, each of which may or may not change the cluster.
	 */
	private static SupervisionSettings settings(boolean workersMayChange) {
		return new SupervisionSettings(1, 2, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(20),
				Duration.ofSeconds(60), Duration.ofSeconds(30), 0, 0, 0, 1, 1, workersMayChange);
	}

}
