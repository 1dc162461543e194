package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SupervisorLoop} and the {@link PrimaryFailure} it records.
 */
class SupervisorLoopTests {

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop loop = new SupervisorLoop(this.failure);

	@AfterEach
	void stop() {
		this.loop.shutdownNow();
	}

	@Test
	void aTaskThatThrowsIsLoggedAndTheNextRunsInOrderOnTheSupervisorThread() {
		List<String> ran = new CopyOnWriteArrayList<>();
		this.loop.run("a task that throws", () -> {
			ran.add("first");
			throw new IllegalStateException("broken");
		});
		this.loop.run("the next task", () -> ran.add("second on " + Thread.currentThread().getName()));
		await().until(() -> ran.size() == 2);
		assertThat(ran).containsExactly("first", "second on cluster-primary");
		assertThat(this.failure.description()).as("an exception is no failure of the primary").isNull();
	}

	@Test
	void aPeriodicCheckThatThrowsRunsAgain() {
		AtomicInteger runs = new AtomicInteger();
		this.loop.every("a check that always throws", Duration.ofMillis(10), () -> {
			runs.incrementAndGet();
			throw new IllegalStateException("broken");
		});
		await().until(() -> runs.get() >= 3);
	}

	@Test
	void anErrorTheJvmMayNotRecoverFromIsTheFailureOfThePrimaryAndTheLoopGoesOn() {
		AtomicInteger after = new AtomicInteger();
		this.loop.run("the watchdog", () -> {
			throw new OutOfMemoryError("Java heap space");
		});
		this.loop.run("a later task", () -> {
			throw new OutOfMemoryError("again");
		});
		this.loop.run("a task after it", after::incrementAndGet);
		await().until(() -> after.get() == 1);
		assertThat(this.failure.description()).as("the first one")
			.isEqualTo("the watchdog: java.lang.OutOfMemoryError: Java heap space");
	}

	@Test
	void aTaskScheduledOnceTheLoopHasStoppedIsDropped() {
		this.loop.shutdownNow();
		this.loop.run("too late", () -> {
			throw new AssertionError("must not run");
		});
		assertThat(this.loop.isShutdown()).isTrue();
	}

}
