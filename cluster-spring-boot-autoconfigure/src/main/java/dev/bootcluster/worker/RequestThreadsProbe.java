package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Whether the application's request threads make progress: at each heartbeat a task is
 * handed to the web server's request executor unless the last one is still waiting, and
 * the heartbeat reports how long it has waited. A worker whose request threads are all
 * stuck (a deadlock, a pool that never frees) keeps heartbeating from a thread of its own,
 * but its probe waits, and the primary replaces it after {@code cluster.worker.hang-timeout}.
 * A busy worker's probe waits only as long as a request waits for a thread.
 */
final class RequestThreadsProbe {

	private static final long NONE = Long.MIN_VALUE;

	private final LongSupplier ticker;

	private final AtomicLong waitingSince = new AtomicLong(NONE);

	private volatile @Nullable Executor executor;

	RequestThreadsProbe(LongSupplier ticker) {
		this.ticker = ticker;
	}

	/**
	 * Probes the given executor from now on.
	 * @param executor the web server's request executor
	 */
	void watch(Executor executor) {
		this.executor = executor;
	}

	/**
	 * Hands the executor a task, unless the last one has not run yet, and tells how long
	 * that one has waited.
	 * @return how long the waiting task has waited, {@link Duration#ZERO} if none waits
	 */
	Duration probe() {
		Executor executor = this.executor;
		long now = this.ticker.getAsLong();
		if (executor != null && this.waitingSince.compareAndSet(NONE, now)) {
			try {
				executor.execute(() -> this.waitingSince.set(NONE));
			}
			catch (RejectedExecutionException ex) { // stopping: nothing to wait for
				this.waitingSince.set(NONE);
			}
		}
		long since = this.waitingSince.get();
		return (since != NONE) ? Duration.ofNanos(now - since) : Duration.ZERO;
	}

}
