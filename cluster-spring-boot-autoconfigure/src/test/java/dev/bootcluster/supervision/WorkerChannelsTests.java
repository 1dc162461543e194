package dev.bootcluster.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.ipc.OutboundQueueFullException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerChannels} on a real control socket, this JVM playing the worker:
 * frames reach their steps on the supervisor thread, a message holds its room in the
 * worker's window until the application has it, and what the primary sends is queued,
 * never waited for.
 */
class WorkerChannelsTests {

	private static final String NEARLY_ONE_MIB = "x".repeat(1024 * 1024 - 1024);

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop loop = new SupervisorLoop(this.failure);

	private final SupervisedWorker worker = new SupervisedWorker(TestProcess.NO_CONTROL, 1, 1, 0,
			new TestProcess(ProcessHandle.current().pid()), System.nanoTime(), 0);

	private final RecordingSteps steps = new RecordingSteps();

	private final WorkerChannels channels = new WorkerChannels(this.steps, NoSteps.NO_REPORTS, this.loop, this.failure, System::nanoTime);

	private final CountDownLatch workerReads = new CountDownLatch(1);

	private ControlServer server;

	private ControlClient client;

	@BeforeEach
	void connect() throws IOException {
		this.server = ControlServer.start(this.channels);
		this.server.expect(1, "secret");
		this.client = ControlClient.connect(this.server.address(), 1, "secret", new ControlClient.Listener() {

			@Override
			public void received(ControlMessage message) {
				try {
					WorkerChannelsTests.this.workerReads.await(); // a worker that does not read
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public void closed(@Nullable Exception cause) {
			}

		});
		await().until(() -> this.channels.connected().contains(1));
	}

	@AfterEach
	void close() throws IOException {
		this.workerReads.countDown();
		this.client.close();
		this.server.close();
		this.loop.shutdownNow();
	}

	@Test
	void framesReachTheirStepsInOrderOnTheSupervisorThread() throws IOException {
		this.client.send(new ControlMessage.Listening("127.0.0.1", 8080));
		this.client.send(new ControlMessage.Ready());
		this.client.send(new ControlMessage.Heartbeat(7, 1, 100, 50));
		this.client.send(new ControlMessage.Disconnect());
		await().until(() -> this.steps.taken.size() == 5);
		assertThat(this.steps.taken).containsExactly("online on cluster-primary", "listening 8080", "ready",
				"heartbeat 7", "leaving");
	}

	@Test
	void aMessageHoldsItsRoomInTheWindowUntilTheApplicationHasHadItAndAWorkerHeldBackIsHeard() throws Exception {
		CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
			try {
				for (int i = 0; i < 8; i++) {
					ControlMessage message = new ControlMessage.Message(JsonNodeFactory.instance.stringNode(NEARLY_ONE_MIB));
					while (!offer(message)) {
						this.client.flush(Duration.ofSeconds(1)); // the primary reads no more for now
					}
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().until(() -> this.channels.isThrottled(this.worker));
		assertThat(this.steps.held).as("read no further than the 2 MiB window").hasSizeLessThanOrEqualTo(2);
		assertThat(sent).isNotDone();
		await().until(() -> {
			for (Runnable handled : List.copyOf(this.steps.held)) { // the application catches up
				handled.run();
				this.steps.held.remove(handled);
			}
			return sent.isDone() && this.steps.messages == 8;
		});
		assertThat(this.channels.isThrottled(this.worker)).isFalse();
	}

	@Test
	void framesForAWorkerThatDoesNotReadAreQueuedNeverWaitedForUntilItsQueueIsFull() {
		long started = System.nanoTime();
		assertThatExceptionOfType(OutboundQueueFullException.class).isThrownBy(() -> {
			for (int i = 0; i < 64; i++) {
				this.channels.deliver(1, new ControlMessage.Message(JsonNodeFactory.instance.stringNode(NEARLY_ONE_MIB)));
			}
		}).withMessageStartingWith("worker 1 is not reading its control channel");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		await().until(() -> this.channels.stalledFor(this.worker).compareTo(Duration.ofMillis(200)) > 0);
		this.workerReads.countDown();
		await().until(() -> this.channels.stalledFor(this.worker).isZero());
	}

	@Test
	void aMessageToAWorkerThatIsNotConnectedFailsNamingIt() {
		assertThatExceptionOfType(MessageDeliveryException.class)
			.isThrownBy(() -> this.channels.deliver(2, new ControlMessage.Disconnect()))
			.withMessage("Worker 2 is not connected: it has exited or is not online yet");
	}

	private boolean offer(ControlMessage message) throws IOException {
		try {
			this.client.send(message);
			return true;
		}
		catch (OutboundQueueFullException ex) {
			return false;
		}
	}

	private final class RecordingSteps implements WorkerChannels.Steps {

		final List<String> taken = new CopyOnWriteArrayList<>();

		final List<Runnable> held = new CopyOnWriteArrayList<>();

		volatile int messages;

		@Override
		public @Nullable SupervisedWorker liveWorker(int id) {
			return (id == 1) ? WorkerChannelsTests.this.worker : null;
		}

		@Override
		public void online(SupervisedWorker worker) {
			this.taken.add("online on " + Thread.currentThread().getName());
		}

		@Override
		public void listening(SupervisedWorker worker, String address, int port, List<Integer> additionalPorts,
			List<String> socketPaths) {
			this.taken.add("listening " + port);
		}

		@Override
		public void ready(SupervisedWorker worker) {
			this.taken.add("ready");
		}

		@Override
		public void heartbeat(SupervisedWorker worker, WorkerLoad load) {
			this.taken.add("heartbeat " + load.requests());
		}

		@Override
		public void message(SupervisedWorker worker, JsonNode payload, Runnable handled) {
			this.messages++;
			this.held.add(handled);
		}

		@Override
		public void leaving(SupervisedWorker worker) {
			this.taken.add("leaving");
		}

		@Override
		public ClusterOperations operations() {
			throw new UnsupportedOperationException();
		}

	}

}
