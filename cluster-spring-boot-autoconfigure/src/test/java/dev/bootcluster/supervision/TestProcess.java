package dev.bootcluster.supervision;

import java.util.concurrent.CompletableFuture;

import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;

/**
 * A worker process that ends when the test says so, or when it is signalled, for tests
 * of the supervisor's decisions without real processes.
 */
final class TestProcess implements ChildProcess {

	/** A worker's handle that asks nothing of a primary. */
	static final SupervisedWorker.Control NO_CONTROL = new SupervisedWorker.Control() {

		@Override
		public void disconnect(SupervisedWorker worker) {
		}

		@Override
		public void kill(SupervisedWorker worker, String signal) {
		}

	};

	private final long pid;

	private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();

	TestProcess(long pid) {
		this.pid = pid;
	}

	/**
	 * A worker of slot {@code id} on a test process, started now.
	 */
	static SupervisedWorker worker(int id, long requestLimit) {
		return new SupervisedWorker(NO_CONTROL, id, id, 0, new TestProcess(4000 + id), System.nanoTime(), requestLimit);
	}

	void exit(ProcessExit exit) {
		this.exit.complete(exit);
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public CompletableFuture<ProcessExit> onExit() {
		return this.exit;
	}

	@Override
	public boolean signal(String signal) {
		if (signal.equals("QUIT")) { // a JVM prints a thread dump and goes on
			return !this.exit.isDone();
		}
		return this.exit.complete(ProcessExit.ofSignal(signal));
	}

}
