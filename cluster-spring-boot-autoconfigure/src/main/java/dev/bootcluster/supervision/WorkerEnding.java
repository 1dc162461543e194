package dev.bootcluster.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.process.ProcessExit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * How the primary ends a worker: gracefully (a disconnect frame, then {@code SIGKILL} if
 * the drain outlasts the kill timeout) or by a signal, recording the cause either way.
 * Used on the supervisor thread; the disconnect frame is queued, never waited for.
 */
final class WorkerEnding {

	private static final Log logger = LogFactory.getLog(WorkerEnding.class);

	// what a JVM ends with after the shutdown a SIGTERM asks for: 128 + 15
	private static final int SIGTERM_EXIT_CODE = 143;

	/** How long a worker asked for a thread dump has to print it before it is killed. */
	static final Duration THREAD_DUMP_WAIT = Duration.ofSeconds(1);

	private final Duration killTimeout;

	private final WorkerChannels channels;

	private final WorkerListener listener;

	private final SupervisorLoop supervisor;

	WorkerEnding(Duration killTimeout, WorkerChannels channels, WorkerListener listener, SupervisorLoop supervisor) {
		this.killTimeout = killTimeout;
		this.channels = channels;
		this.listener = listener;
		this.supervisor = supervisor;
	}

	/**
	 * Asks a worker to drain and exit.
	 * @param worker the worker
	 * @param cause the cause its exit will have
	 */
	void disconnect(SupervisedWorker worker, WorkerExitCause cause) {
		if (disconnecting(worker, cause) && !this.channels.send(worker, new ControlMessage.Disconnect())) {
			// not connected yet (still booting), or not reading: its shutdown hook drains it
			// just the same
			signal(worker, "TERM");
		}
	}

	/**
	 * Follows a worker that said it is leaving by itself.
	 * @param worker the worker
	 */
	void leaving(SupervisedWorker worker) {
		if (disconnecting(worker, WorkerExitCause.DISCONNECTED)) {
			worker.leavingOnItsOwn();
		}
	}

	/**
	 * The cause of a worker's exit: why the primary ended it, or a crash. A worker that
	 * left on its own is a crash too unless it had been READY and ended cleanly (code 0,
	 * or the end a {@code SIGTERM} asks for): a context that closes because its
	 * application failed (a runner that throws, {@code System.exit(1)}) must go through
	 * the restart policy like any failure.
	 * @param worker the worker
	 * @param exit how its process ended
	 * @return the cause
	 */
	WorkerExitCause causeOf(SupervisedWorker worker, ProcessExit exit) {
		WorkerExitCause endedBy = worker.endedBy();
		if (endedBy == null) {
			return WorkerExitCause.CRASHED;
		}
		boolean clean = Objects.equals(exit.code(), 0) || Objects.equals(exit.code(), SIGTERM_EXIT_CODE)
				|| "SIGTERM".equals(exit.signal());
		if (worker.leftOnItsOwn() && (!worker.wasReady() || !clean)) {
			return WorkerExitCause.CRASHED;
		}
		return endedBy;
	}

	private boolean disconnecting(SupervisedWorker worker, WorkerExitCause cause) {
		if (worker.isDead() || worker.state() == WorkerState.DISCONNECTING) {
			return false;
		}
		worker.ending(cause, true);
		worker.state(WorkerState.DISCONNECTING);
		this.listener.disconnecting(worker);
		this.supervisor.schedule("the kill timeout of " + worker, this.killTimeout, () -> {
			if (!worker.isDead()) {
				logger.warn(LogMessage.format("%s did not drain within %s; killing it", worker, this.killTimeout));
				kill(worker, WorkerExitCause.KILL_TIMEOUT, true);
			}
		});
		return true;
	}

	/**
	 * Sends a worker a signal.
	 * @param worker the worker
	 * @param signal the signal
	 * @param cause the cause its exit will have
	 * @param afterDisconnect whether the exit is one the primary asked for, rather than a
	 * failure
	 */
	void signal(SupervisedWorker worker, String signal, WorkerExitCause cause, boolean afterDisconnect) {
		if (!worker.isDead()) {
			worker.ending(cause, afterDisconnect);
			signal(worker, signal);
		}
	}

	/**
	 * Kills a worker that is stuck, first asking its JVM for a thread dump (printed to the
	 * primary's output) and giving it {@link #THREAD_DUMP_WAIT} to print it, so that the log
	 * shows what the worker was stuck on. A stopped JVM prints nothing and is killed all
	 * the same.
	 * @param worker the worker
	 * @param cause the cause its exit will have
	 * @param afterDisconnect whether the exit is one the primary asked for, rather than a
	 * failure
	 */
	void kill(SupervisedWorker worker, WorkerExitCause cause, boolean afterDisconnect) {
		if (worker.isDead()) {
			return;
		}
		worker.ending(cause, afterDisconnect);
		boolean asked = false;
		try {
			asked = worker.process().requestThreadDump();
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Failed to ask %s for a thread dump", worker), ex);
		}
		if (!asked) {
			signal(worker, "KILL");
			return;
		}
		logger.warn(LogMessage.format("Asked %s for a thread dump (in the output that follows); killing it in %d ms",
				worker, THREAD_DUMP_WAIT.toMillis()));
		this.supervisor.schedule("the kill of " + worker, THREAD_DUMP_WAIT, () -> {
			if (!worker.isDead()) {
				signal(worker, "KILL");
			}
		});
	}

	private void signal(SupervisedWorker worker, String signal) {
		try {
			worker.process().signal(signal);
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Failed to send SIG%s to %s", signal, worker), ex);
		}
	}

}
