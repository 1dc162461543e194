package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AsyncWorkerListener}.
 */
class AsyncWorkerListenerTests {

	private final PrimaryFailure failure = new PrimaryFailure();

	private final List<String> told = new CopyOnWriteArrayList<>();

	private final CountDownLatch held = new CountDownLatch(1);

	private final AsyncWorkerListener listener = new AsyncWorkerListener(new WorkerListener() {

		@Override
		public void forked(SupervisedWorker worker) {
			AsyncWorkerListenerTests.this.told.add("fork " + worker.id() + " on " + Thread.currentThread().getName());
		}

		@Override
		public void ready(SupervisedWorker worker) {
			AsyncWorkerListenerTests.this.told.add("ready " + worker.id());
			throw new IllegalStateException("a listener that throws");
		}

		@Override
		public void message(SupervisedWorker worker, JsonNode payload) {
			try {
				AsyncWorkerListenerTests.this.held.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			AsyncWorkerListenerTests.this.told.add("message " + payload);
		}

		@Override
		public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
			throw new StackOverflowError();
		}

	}, this.failure);

	@AfterEach
	void stop() {
		this.held.countDown();
		this.listener.stop(Duration.ofSeconds(5));
	}

	@Test
	void eventsAreToldInOrderOnTheirOwnThreadWithoutWaitingForThemAndAThrowingListenerStopsNone() {
		SupervisedWorker worker = worker(1);
		AtomicBoolean handled = new AtomicBoolean();
		this.listener.forked(worker);
		this.listener.ready(worker);
		this.listener.message(worker, JsonNodeFactory.instance.stringNode("hello"), () -> handled.set(true));
		this.listener.forked(worker(2));
		assertThat(handled).as("the caller did not wait for the held listener").isFalse();
		this.held.countDown();
		await().until(() -> this.told.size() == 4);
		assertThat(this.told).containsExactly("fork 1 on cluster-events-1", "ready 1", "message \"hello\"",
				"fork 2 on cluster-events-1");
		assertThat(handled).as("the message's room is freed once its listener has run").isTrue();
		assertThat(this.failure.description()).isNull();
	}

	@Test
	void aListenerThatMeetsAnErrorTheJvmMayNotRecoverFromFailsThePrimary() {
		this.held.countDown();
		this.listener.exited(worker(1), ProcessExit.ofCode(1), WorkerExitCause.CRASHED);
		this.listener.forked(worker(2));
		await().until(() -> this.told.size() == 1);
		assertThat(this.failure.description()).startsWith("a listener of the exit of worker 1")
			.endsWith("java.lang.StackOverflowError");
	}

	private static SupervisedWorker worker(int id) {
		return TestProcess.worker(id, 0);
	}

}
