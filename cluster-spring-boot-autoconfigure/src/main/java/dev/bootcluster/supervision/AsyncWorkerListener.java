package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * Tells the application's listeners of each step on a thread of their own
 * ({@code cluster-events}), in the order the supervisor saw the steps, one order for all
 * workers: a slow listener delays only the events after it, a listener that throws is
 * logged and the next event is told all the same, and supervision never waits for either.
 */
final class AsyncWorkerListener implements WorkerListener {

	private static final Log logger = LogFactory.getLog(AsyncWorkerListener.class);

	private final WorkerListener delegate;

	private final PrimaryFailure failure;

	private final ExecutorService executor;

	AsyncWorkerListener(WorkerListener delegate, PrimaryFailure failure) {
		this.delegate = delegate;
		this.failure = failure;
		this.executor = Executors.newSingleThreadExecutor(ClusterThreads.numberedFactory("cluster-events"));
	}

	@Override
	public void forked(SupervisedWorker worker) {
		tell("fork", worker, () -> this.delegate.forked(worker));
	}

	@Override
	public void online(SupervisedWorker worker) {
		tell("online", worker, () -> this.delegate.online(worker));
	}

	@Override
	public void listening(SupervisedWorker worker, String address, int port) {
		tell("listening", worker, () -> this.delegate.listening(worker, address, port));
	}

	@Override
	public void ready(SupervisedWorker worker) {
		tell("ready", worker, () -> this.delegate.ready(worker));
	}

	@Override
	public void disconnecting(SupervisedWorker worker) {
		tell("disconnect", worker, () -> this.delegate.disconnecting(worker));
	}

	@Override
	public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
		tell("exit", worker, () -> this.delegate.exited(worker, exit, cause));
	}

	@Override
	public void message(SupervisedWorker worker, JsonNode payload) {
		message(worker, payload, () -> {
		});
	}

	/**
	 * Tells of a worker's message, then runs {@code handled}, so that the worker's frames
	 * wait while the application is behind with its messages.
	 */
	void message(SupervisedWorker worker, JsonNode payload, Runnable handled) {
		tell("message", worker, () -> {
			try {
				this.delegate.message(worker, payload);
			}
			finally {
				handled.run();
			}
		});
	}

	@Override
	public void errored(SupervisedWorker lastWorker, int failures) {
		tell("crash loop", lastWorker, () -> this.delegate.errored(lastWorker, failures));
	}

	/**
	 * Tells the events already queued, waiting for them at most the given time; none
	 * after.
	 * @param timeout how long to wait
	 */
	void stop(Duration timeout) {
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn(LogMessage.format("Worker event listeners still busy after %s; not waiting for them",
						timeout));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void tell(String step, SupervisedWorker worker, Runnable notification) {
		try {
			this.executor.execute(() -> run(step, worker, notification));
		}
		catch (RejectedExecutionException ex) {
			logger.debug(LogMessage.format("Not telling the %s of %s: the primary has stopped", step, worker));
		}
	}

	private void run(String step, SupervisedWorker worker, Runnable notification) {
		try {
			notification.run();
		}
		catch (Throwable ex) {
			String where = "a listener of the " + step + " of " + worker;
			if (!this.failure.recordIfFatal(where, ex)) {
				logger.error(LogMessage.format("%s failed; the next events are told all the same", where), ex);
			}
		}
	}

}
