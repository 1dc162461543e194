package dev.bootcluster.thread;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterThreads}.
 */
class ClusterThreadsTests {

	private static final Runnable NOTHING = () -> {
	};

	@Test
	void aNewThreadIsADaemonNotStartedWithTheNameItIsGiven() {
		Thread thread = ClusterThreads.newThread("cluster-test", NOTHING);
		assertThat(thread.getName()).isEqualTo("cluster-test");
		assertThat(thread.isDaemon()).isTrue();
		assertThat(thread.getState()).isEqualTo(Thread.State.NEW);
	}

	@Test
	void aNewThreadIsNoDaemonWhenSaidSo() {
		Thread thread = ClusterThreads.newThread("cluster-test", false, NOTHING);
		assertThat(thread.getName()).isEqualTo("cluster-test");
		assertThat(thread.isDaemon()).isFalse();
	}

	@Test
	void aNameWithoutThePrefixGetsIt() {
		assertThat(ClusterThreads.newThread("test", NOTHING).getName()).isEqualTo("cluster-test");
		assertThat(ClusterThreads.factory("test").newThread(NOTHING).getName()).isEqualTo("cluster-test");
		assertThat(ClusterThreads.numberedFactory("test").newThread(NOTHING).getName()).isEqualTo("cluster-test-1");
	}

	@Test
	void startRunsTheTaskOnADaemonOfThatName() throws Exception {
		CompletableFuture<String> ran = new CompletableFuture<>();
		Thread thread = ClusterThreads.start("cluster-test",
				() -> ran.complete(Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon()));
		assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("cluster-test true");
		assertThat(thread.getName()).isEqualTo("cluster-test");
		thread.join(10_000);
	}

	@Test
	void aFactoryNamesEveryThreadTheSameAndMakesDaemons() {
		ThreadFactory factory = ClusterThreads.factory("cluster-test");
		Thread first = factory.newThread(NOTHING);
		Thread second = factory.newThread(NOTHING);
		assertThat(first.getName()).isEqualTo("cluster-test");
		assertThat(second.getName()).isEqualTo("cluster-test");
		assertThat(first.isDaemon()).isTrue();
		assertThat(second.isDaemon()).isTrue();
		assertThat(first.getState()).isEqualTo(Thread.State.NEW);
	}

	@Test
	void aNumberedFactoryCountsFromOneForItselfAndMakesDaemons() {
		ThreadFactory factory = ClusterThreads.numberedFactory("cluster-test");
		Thread first = factory.newThread(NOTHING);
		Thread second = factory.newThread(NOTHING);
		assertThat(first.getName()).isEqualTo("cluster-test-1");
		assertThat(second.getName()).isEqualTo("cluster-test-2");
		assertThat(first.isDaemon()).isTrue();
		assertThat(second.isDaemon()).isTrue();
		assertThat(ClusterThreads.numberedFactory("cluster-test").newThread(NOTHING).getName())
			.isEqualTo("cluster-test-1");
	}

	@Test
	void aNumberedFactoryMakesNoDaemonsWhenSaidSo() {
		Thread thread = ClusterThreads.numberedFactory("cluster-test", false).newThread(NOTHING);
		assertThat(thread.getName()).isEqualTo("cluster-test-1");
		assertThat(thread.isDaemon()).isFalse();
	}

	@Test
	void aThreadHasThePriorityOfTheThreadMakingIt() throws Exception {
		AtomicReference<Thread> made = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		Thread maker = new Thread(() -> {
			made.set(ClusterThreads.factory("cluster-test").newThread(NOTHING));
			done.countDown();
		});
		maker.setPriority(Thread.MIN_PRIORITY);
		maker.start();
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(made.get().getPriority()).isEqualTo(Thread.MIN_PRIORITY);
	}

}
