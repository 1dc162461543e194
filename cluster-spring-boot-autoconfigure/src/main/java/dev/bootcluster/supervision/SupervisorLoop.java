package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one thread that owns the cluster's state, like a Netty event loop or an Erlang/OTP
 * supervisor: every change of state is a task run here, one at a time, in the order it
 * was asked for. A task never blocks, not on a socket (frames to workers go to their
 * queues) and not on application code (listeners run on their own thread). A task that
 * throws is logged and the loop goes on; a periodic check that throws runs again next
 * time; an error the JVM may not recover from is recorded as the primary's failure.
 */
final class SupervisorLoop implements Executor {

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final ScheduledThreadPoolExecutor executor;

	private final PrimaryFailure failure;

	SupervisorLoop(PrimaryFailure failure) {
		this.executor = new ScheduledThreadPoolExecutor(1, ClusterThreads.factory("cluster-primary"));
		this.executor.setRemoveOnCancelPolicy(true);
		this.failure = failure;
	}

	/**
	 * Runs a task on the loop.
	 * @param task the task
	 */
	@Override
	public void execute(Runnable task) {
		run("a supervisor task", task);
	}

	/**
	 * Runs a task on the loop.
	 * @param what what the task does, as the log names it should it fail
	 * @param task the task
	 */
	void run(String what, Runnable task) {
		try {
			this.executor.execute(guarded(what, task));
		}
		catch (RejectedExecutionException ex) { // stopped: late steps (an exit reaped meanwhile) have nobody to tell
			logger.debug("Supervisor stopped before " + what);
		}
	}

	/**
	 * Computes a value on the loop.
	 * @param what what the task does
	 * @param task the task
	 * @param <T> the value's type
	 * @return the value, or a failure if the task threw or the loop has stopped
	 */
	<T> CompletableFuture<T> call(String what, Supplier<T> task) {
		CompletableFuture<T> result = new CompletableFuture<>();
		try {
			this.executor.execute(guarded(what, () -> {
				try {
					result.complete(task.get());
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
					throw ex;
				}
			}));
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(new IllegalStateException("The cluster primary has stopped", ex));
		}
		return result;
	}

	/**
	 * Runs a task on the loop after a delay.
	 * @param what what the task does
	 * @param delay the delay
	 * @param task the task
	 * @return the scheduled task, to cancel it, or {@code null} if the loop has stopped
	 */
	@Nullable ScheduledFuture<?> schedule(String what, Duration delay, Runnable task) {
		try {
			return this.executor.schedule(guarded(what, task), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Supervisor stopped before " + what);
			return null;
		}
	}

	/**
	 * Runs a task on the loop at a fixed delay, for as long as the loop runs, whatever
	 * the task throws.
	 * @param what what the task does
	 * @param interval the delay between two runs
	 * @param task the task
	 */
	void every(String what, Duration interval, Runnable task) {
		try {
			this.executor.scheduleWithFixedDelay(guarded(what, task), interval.toNanos(), interval.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Supervisor stopped before " + what);
		}
	}

	boolean isShutdown() {
		return this.executor.isShutdown();
	}

	void shutdownNow() {
		this.executor.shutdownNow();
	}

	private Runnable guarded(String what, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				if (!this.failure.recordIfFatal(what, ex)) {
					logger.error("Failed in " + what + "; supervision goes on", ex);
				}
			}
		};
	}

}
