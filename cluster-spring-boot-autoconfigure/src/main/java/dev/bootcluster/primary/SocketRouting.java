package dev.bootcluster.primary;

import java.util.function.Supplier;

import dev.bootcluster.socket.ProcessExit;
import dev.bootcluster.socket.SharedSocket;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Tells the shared socket which workers take new connections, ahead of the application's
 * listeners: a worker from the moment it is ready until it begins to drain or exits. In
 * inherit mode the socket has nothing to do with it; in relay mode it routes.
 */
final class SocketRouting implements WorkerListener {

	private final Supplier<@Nullable SharedSocket> socket;

	private final WorkerListener delegate;

	SocketRouting(Supplier<@Nullable SharedSocket> socket, WorkerListener delegate) {
		this.socket = socket;
		this.delegate = delegate;
	}

	@Override
	public void forked(Worker worker) {
		this.delegate.forked(worker);
	}

	@Override
	public void online(Worker worker) {
		this.delegate.online(worker);
	}

	@Override
	public void listening(Worker worker, String address, int port) {
		this.delegate.listening(worker, address, port);
	}

	@Override
	public void ready(Worker worker) {
		SharedSocket socket = this.socket.get();
		if (socket != null) {
			socket.route(worker.id(), worker.port());
		}
		this.delegate.ready(worker);
	}

	@Override
	public void disconnecting(Worker worker) {
		unroute(worker);
		this.delegate.disconnecting(worker);
	}

	@Override
	public void exited(Worker worker, ProcessExit exit, WorkerExitCause cause) {
		unroute(worker);
		this.delegate.exited(worker, exit, cause);
	}

	@Override
	public void message(Worker worker, JsonNode payload) {
		this.delegate.message(worker, payload);
	}

	@Override
	public void errored(Worker lastWorker, int failures) {
		this.delegate.errored(lastWorker, failures);
	}

	private void unroute(Worker worker) {
		SharedSocket socket = this.socket.get();
		if (socket != null) {
			socket.unroute(worker.id());
		}
	}

}
