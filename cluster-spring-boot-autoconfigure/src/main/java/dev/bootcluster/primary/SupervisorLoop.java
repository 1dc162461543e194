package dev.bootcluster.primary;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

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
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cluster-primary");
		threads.setDaemon(true);
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = threads.newThread(task);
			thread.setName("cluster-primary");
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		// once stopped, late steps (an exit reaped during the stop) have nobody to tell
		this.executor.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
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
		this.executor.execute(guarded(what, task));
	}

	/**
	 * Runs a task on the loop after a delay.
	 * @param what what the task does
	 * @param delay the delay
	 * @param task the task
	 * @return the scheduled task, to cancel it
	 */
	ScheduledFuture<?> schedule(String what, Duration delay, Runnable task) {
		return this.executor.schedule(guarded(what, task), delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Runs a task on the loop at a fixed delay, for as long as the loop runs, whatever
	 * the task throws.
	 * @param what what the task does
	 * @param interval the delay between two runs
	 * @param task the task
	 */
	void every(String what, Duration interval, Runnable task) {
		this.executor.scheduleWithFixedDelay(guarded(what, task), interval.toNanos(), interval.toNanos(),
				TimeUnit.NANOSECONDS);
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
			catch (RejectedExecutionException ex) {
				logger.debug("Supervisor stopped while " + what + " was pending", ex);
			}
			catch (Throwable ex) {
				if (!this.failure.recordIfFatal(what, ex)) {
					logger.error("Failed in " + what + "; supervision goes on", ex);
				}
			}
		};
	}

}
