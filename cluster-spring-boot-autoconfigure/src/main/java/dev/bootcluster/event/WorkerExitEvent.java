package dev.bootcluster.event;

import dev.bootcluster.Worker;
import dev.bootcluster.WorkerExitCause;
import org.jspecify.annotations.Nullable;

/**
 * A worker's process ended, like Node's {@code 'exit'} event: its exit code or the signal
 * that ended it, whether the primary asked for it, and why.
 */
public class WorkerExitEvent extends WorkerEvent {

	private final @Nullable Integer exitCode;

	private final @Nullable String signal;

	private final WorkerExitCause cause;

	/**
	 * Creates an event for a worker that ended with an exit code or by a signal, or
	 * neither if its process could not be started at all.
	 * @param worker the worker
	 * @param exitCode its exit code, or {@code null}
	 * @param signal the signal that ended it, such as {@code SIGKILL}, or {@code null}
	 * @param cause why it ended
	 */
	public WorkerExitEvent(Worker worker, @Nullable Integer exitCode, @Nullable String signal,
			WorkerExitCause cause) {
		super(worker);
		this.exitCode = exitCode;
		this.signal = signal;
		this.cause = cause;
	}

	/**
	 * The process's exit code.
	 * @return the code, or {@code null} if a signal ended the process
	 */
	public @Nullable Integer getExitCode() {
		return this.exitCode;
	}

	/**
	 * The signal that ended the process, such as {@code SIGKILL}.
	 * @return the signal's name, or {@code null} if the process exited by itself
	 */
	public @Nullable String getSignal() {
		return this.signal;
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
		String exit = (this.exitCode != null) ? "code " + this.exitCode
				: (this.signal != null) ? "signal " + this.signal : "no process (its launch failed)";
		return "WorkerExitEvent[worker=" + getWorker().id() + ", pid=" + getWorker().pid() + ", " + exit + ", cause="
				+ this.cause.toValue() + "]";
	}

}
