package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RequestThreadsProbe} with a real pool of one thread.
 */
class RequestThreadsProbeTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final RequestThreadsProbe probe = new RequestThreadsProbe(this.now::get);

	private final ExecutorService requestThreads = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.requestThreads.shutdownNow();
	}

	@Test
	void aPoolThatRunsItsTasksIsNeverStalled() throws Exception {
		assertThat(this.probe.probe()).as("no executor yet").isZero();
		this.probe.watch(this.requestThreads);
		for (int i = 0; i < 3; i++) {
			this.probe.probe();
			this.requestThreads.submit(() -> { }).get(10, TimeUnit.SECONDS); // after the probe's task
			this.now.addAndGet(Duration.ofSeconds(2).toNanos());
			assertThat(this.probe.probe()).isZero();
		}
	}

	@Test
	void aPoolWhoseThreadsAreAllStuckStallsUntilOneIsFree() throws Exception {
		CountDownLatch stuck = new CountDownLatch(1);
		CountDownLatch running = new CountDownLatch(1);
		this.requestThreads.execute(() -> {
			running.countDown();
			awaitQuietly(stuck);
		});
		running.await(10, TimeUnit.SECONDS);
		this.probe.watch(this.requestThreads);
		assertThat(this.probe.probe()).isZero();
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.probe.probe()).as("one task waits, no second one").isEqualTo(Duration.ofSeconds(2));
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.probe.probe()).isEqualTo(Duration.ofSeconds(4));
		stuck.countDown();
		await().until(() -> this.probe.probe().isZero());
	}

	@Test
	void aPoolThatRejectsTasksIsStoppingNotStalled() {
		this.requestThreads.shutdown();
		this.probe.watch(this.requestThreads);
		assertThat(this.probe.probe()).isZero();
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.probe.probe()).isZero();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
