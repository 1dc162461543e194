package dev.bootcluster.primary;

import dev.bootcluster.socket.ProcessExit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * Keeps a failing listener (an application's event listener that throws) from derailing
 * the supervisor: the failure is logged and supervision goes on, respawns included.
 */
final class GuardedWorkerListener implements WorkerListener {

	private static final Log logger = LogFactory.getLog(GuardedWorkerListener.class);

	private final WorkerListener delegate;

	GuardedWorkerListener(WorkerListener delegate) {
		this.delegate = delegate;
	}

	@Override
	public void forked(Worker worker) {
		guard("fork", worker, () -> this.delegate.forked(worker));
	}

	@Override
	public void online(Worker worker) {
		guard("online", worker, () -> this.delegate.online(worker));
	}

	@Override
	public void listening(Worker worker, String address, int port) {
		guard("listening", worker, () -> this.delegate.listening(worker, address, port));
	}

	@Override
	public void ready(Worker worker) {
		guard("ready", worker, () -> this.delegate.ready(worker));
	}

	@Override
	public void disconnecting(Worker worker) {
		guard("disconnect", worker, () -> this.delegate.disconnecting(worker));
	}

	@Override
	public void exited(Worker worker, ProcessExit exit, WorkerExitCause cause) {
		guard("exit", worker, () -> this.delegate.exited(worker, exit, cause));
	}

	@Override
	public void message(Worker worker, JsonNode payload) {
		guard("message", worker, () -> this.delegate.message(worker, payload));
	}

	@Override
	public void errored(Worker lastWorker, int failures) {
		guard("crash loop", lastWorker, () -> this.delegate.errored(lastWorker, failures));
	}

	private void guard(String step, Worker worker, Runnable notification) {
		try {
			notification.run();
		}
		catch (RuntimeException ex) {
			logger.error(LogMessage.format("A listener failed on the %s of %s", step, worker), ex);
		}
	}

}
