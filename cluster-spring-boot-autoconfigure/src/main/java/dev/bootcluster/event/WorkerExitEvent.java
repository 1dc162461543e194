package dev.bootcluster.event;

import dev.bootcluster.Worker;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ProcessExit;
import org.jspecify.annotations.Nullable;

/**
 * A worker's process ended, like Node's {@code 'exit'} event: its exit code or the signal
 * that ended it, whether the primary asked for it, and why.
 */
public class WorkerExitEvent extends WorkerEvent {

	private final ProcessExit exit;

	private final WorkerExitCause cause;

	public WorkerExitEvent(Worker worker, ProcessExit exit, WorkerExitCause cause) {
		super(worker);
		this.exit = exit;
		this.cause = cause;
	}

	/**
	 * The process's exit code.
	 * @return the code, or {@code null} if a signal ended the process
	 */
	public @Nullable Integer getExitCode() {
		return this.exit.code();
	}

	/**
	 * The signal that ended the process, such as {@code SIGKILL}.
	 * @return the signal's name, or {@code null} if the process exited by itself
	 */
	public @Nullable String getSignal() {
		return this.exit.signal();
	}

	/**
	 * Whether the primary asked the worker to end (disconnect or kill): {@code false}
	 * for a crash.
	 * @return {@code true} if the exit was asked for
	 */
	public boolean isExitedAfterDisconnect() {
		return getWorker().exitedAfterDisconnect();
	}

	/**
	 * Why the worker ended.
	 * @return the cause
	 */
	public WorkerExitCause getCause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "WorkerExitEvent[worker=" + getWorker().id() + ", pid=" + getWorker().pid() + ", " + this.exit
				+ ", cause=" + this.cause.toValue() + "]";
	}

}
