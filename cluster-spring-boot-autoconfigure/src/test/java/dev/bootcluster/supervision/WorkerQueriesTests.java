package dev.bootcluster.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Query.Operation;
import dev.bootcluster.ipc.ControlMessage.QueryReply.Refusal.Reason;
import dev.bootcluster.ipc.ControlMessage.WorkerRequest.Ask;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.ipc.QueryRefusedException;
import dev.bootcluster.launch.WorkerEnvironment;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerQueries} over a real control channel: what the primary asks a
 * worker and how each answer, silence or exit comes back, also when a worker asks the
 * primary for a worker's thread dump.
 */
class WorkerQueriesTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop loop = new SupervisorLoop(this.failure);

	private final SupervisedWorker worker = new SupervisedWorker(TestProcess.NO_CONTROL, 1, 1, 0,
			new TestProcess(ProcessHandle.current().pid()), System.nanoTime(), 0);

	private final WorkerQueries queries = new WorkerQueries((id, message) -> this.channels.deliver(id, message),
			() -> this.channels.connected(), Duration.ofMillis(500));

	private final WorkerChannels channels = new WorkerChannels(new OneWorker(), this.queries, this.loop, this.failure,
			System::nanoTime);

	private final List<ControlMessage.WorkerRequest> asked = new CopyOnWriteArrayList<>();

	private volatile boolean answering = true;

	private ControlServer server;

	private ControlClient client;

	@BeforeEach
	void connect() throws IOException {
		this.server = ControlServer.start(this.channels);
		this.server.expect(1, "secret");
		this.client = ControlClient.connect(this.server.address(), 1, "secret", new ControlClient.Listener() {

			@Override
			public void received(ControlMessage message) {
				if (message instanceof ControlMessage.WorkerRequest request) {
					WorkerQueriesTests.this.asked.add(request);
					if (WorkerQueriesTests.this.answering) {
						answer(request);
					}
				}
			}

			@Override
			public void closed(@Nullable Exception cause) {
			}

		});
		await().atMost(PROMPTLY).until(() -> this.channels.connected().contains(1));
	}

	@AfterEach
	void close() throws IOException {
		this.client.close();
		this.server.close();
		this.loop.shutdownNow();
	}

	@Test
	void aThreadDumpIsTheWorkersAnswerAndAWorkerNotConnectedIsNotFound() {
		assertThat(this.queries.threadDump(1)).succeedsWithin(PROMPTLY).isEqualTo("dump of worker 1");
		assertThat(this.queries.threadDump(2)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(NoSuchWorkerException.class)
			.withMessage("No worker 2 is running and connected");
	}

	@Test
	void aWorkersQueryForAThreadDumpIsAnsweredWithTheDumpOrRefusedAsNotFound() {
		assertThat(this.client.query(Operation.THREAD_DUMP, 1, PROMPTLY)).succeedsWithin(PROMPTLY)
			.satisfies((dump) -> assertThat(dump.asString()).isEqualTo("dump of worker 1"));
		assertThat(this.client.query(Operation.THREAD_DUMP, 2, PROMPTLY)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(QueryRefusedException.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(Reason.NOT_FOUND));
	}

	@Test
	void aWorkerThatDoesNotAnswerTimesOutNamingIt() {
		this.answering = false;
		assertThat(this.queries.threadDump(1)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessage("Worker 1 did not answer within 500 ms");
	}

	@Test
	void aWorkerThatExitsBeforeItAnswersFailsTheQuestion() throws IOException {
		this.answering = false;
		CompletableFuture<String> dump = this.queries.threadDump(1);
		await().atMost(PROMPTLY).until(() -> !this.asked.isEmpty());
		this.client.close();
		assertThat(dump).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("Worker 1 exited before it answered");
	}

	@Test
	void aLevelIsSetInEveryWorkerAndGivenToWorkersForkedOrConnectingLater() {
		assertThat(this.queries.setLoggerLevel(List.of("a.b", "c"), "DEBUG")).succeedsWithin(PROMPTLY);
		assertThat(this.asked).extracting((r) -> r.ask() + " " + r.logger() + " " + r.level())
			.containsExactly("SET_LOGGER_LEVEL a.b DEBUG", "SET_LOGGER_LEVEL c DEBUG");
		assertThat(this.queries.workerEnvironment()).containsOnlyKeys(WorkerEnvironment.LOGGER_LEVELS_VARIABLE)
			.extractingByKey(WorkerEnvironment.LOGGER_LEVELS_VARIABLE)
			.satisfies((levels) -> assertThat(levels.split(",")).containsExactlyInAnyOrder("a.b=DEBUG", "c=DEBUG"));
		Map<Integer, JsonNode> levels = this.queries.loggerLevels("a.b").join();
		assertThat(levels).containsOnlyKeys(1);
		assertThat(levels.get(1).get("configuredLevel").asString()).isEqualTo("DEBUG");
		this.asked.clear();
		this.queries.online(1);
		await().atMost(PROMPTLY).until(() -> this.asked.size() == 2);
		assertThat(this.queries.setLoggerLevel(List.of("a.b", "c"), null)).succeedsWithin(PROMPTLY);
		assertThat(this.queries.workerEnvironment()).isEmpty();
	}

	@Test
	void aWorkerThatCannotSetALevelFailsTheChange() {
		assertThat(this.queries.setLoggerLevel(List.of("refused"), "DEBUG")).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("Worker 1 could not answer: no such level here");
	}

	private void answer(ControlMessage.WorkerRequest request) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		ControlMessage.WorkerReply reply = (request.ask() == Ask.THREAD_DUMP)
				? new ControlMessage.WorkerReply(request.id(), nodes.stringNode("dump of worker 1"), null)
				: "refused".equals(request.logger())
						? new ControlMessage.WorkerReply(request.id(), null, "no such level here")
						: new ControlMessage.WorkerReply(request.id(),
								nodes.objectNode().put("configuredLevel", "DEBUG"), null);
		try {
			this.client.send(reply);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Worker 1, this JVM, is the only live worker.
	 */
	private final class OneWorker implements WorkerChannels.Steps {

		@Override
		public @Nullable SupervisedWorker liveWorker(int id) {
			return (id == 1) ? WorkerQueriesTests.this.worker : null;
		}

		@Override
		public void online(SupervisedWorker worker) {
		}

		@Override
		public void listening(SupervisedWorker worker, String address, int port, List<Integer> additionalPorts,
				List<String> socketPaths) {
		}

		@Override
		public void ready(SupervisedWorker worker) {
		}

		@Override
		public void heartbeat(SupervisedWorker worker, WorkerLoad load) {
		}

		@Override
		public void message(SupervisedWorker worker, JsonNode payload, Runnable handled) {
			handled.run();
		}

		@Override
		public void leaving(SupervisedWorker worker) {
		}

		@Override
		public ClusterOperations operations() {
			return new ClusterOperations() {

				@Override
				public CompletableFuture<String> threadDump(int workerId) {
					return WorkerQueriesTests.this.queries.threadDump(workerId);
				}

				@Override
				public CompletableFuture<ClusterSnapshot> state() {
					throw new UnsupportedOperationException();
				}

				@Override
				public CompletableFuture<ClusterSnapshot> scale(int workers) {
					throw new UnsupportedOperationException();
				}

				@Override
				public CompletableFuture<ClusterSnapshot> restart() {
					throw new UnsupportedOperationException();
				}

				@Override
				public CompletableFuture<ClusterSnapshot> replace(int workerId) {
					throw new UnsupportedOperationException();
				}

			};
		}

	}

}
