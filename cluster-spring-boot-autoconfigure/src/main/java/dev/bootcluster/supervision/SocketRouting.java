package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.socket.SharedSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * Tells the shared socket which workers take new connections, ahead of the application's
 * listeners: a worker from the moment it is ready until it begins to drain or exits, and
 * not while it has gone unheard for longer than the silence limit (a hung JVM, until the
 * heartbeat timeout ends it). In inherit mode the socket has nothing to do with it; in
 * relay mode it routes. Called on the supervisor thread only.
 */
final class SocketRouting implements WorkerListener {

	private static final Log logger = LogFactory.getLog(SocketRouting.class);

	private final Supplier<@Nullable SharedSocket> socket;

	private final WorkerListener delegate;

	private final LongSupplier ticker;

	private final Set<Integer> silenced = new HashSet<>();

	SocketRouting(Supplier<@Nullable SharedSocket> socket, WorkerListener delegate, LongSupplier ticker) {
		this.socket = socket;
		this.delegate = delegate;
		this.ticker = ticker;
	}

	@Override
	public void forked(SupervisedWorker worker) {
		this.delegate.forked(worker);
	}

	@Override
	public void online(SupervisedWorker worker) {
		this.delegate.online(worker);
	}

	@Override
	public void listening(SupervisedWorker worker, String address, int port) {
		this.delegate.listening(worker, address, port);
	}

	@Override
	public void ready(SupervisedWorker worker) {
		SharedSocket socket = this.socket.get();
		if (socket != null) {
			socket.route(worker.id(), worker.address(), worker.ports(), worker.socketPaths());
		}
		this.delegate.ready(worker);
	}

	@Override
	public void disconnecting(SupervisedWorker worker) {
		unroute(worker);
		this.delegate.disconnecting(worker);
	}

	@Override
	public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
		unroute(worker);
		this.delegate.exited(worker, exit, cause);
	}

	@Override
	public void message(SupervisedWorker worker, JsonNode payload) {
		this.delegate.message(worker, payload);
	}

	@Override
	public void errored(SupervisedWorker lastWorker, int failures) {
		this.delegate.errored(lastWorker, failures);
	}

	/**
	 * Takes ready workers silent for longer than the limit out of the routing, and puts
	 * them back once they are heard again.
	 * @param workers the live workers
	 * @param limit the silence a ready worker may keep
	 * @param throttled whether a worker's frames wait for the primary: such a worker is
	 * heard, though not read yet
	 */
	void checkSilence(Collection<SupervisedWorker> workers, Duration limit, Predicate<SupervisedWorker> throttled) {
		SharedSocket socket = this.socket.get();
		if (socket == null) {
			return;
		}
		long now = this.ticker.getAsLong();
		for (SupervisedWorker worker : workers) {
			if (worker.state() != WorkerState.READY) {
				continue;
			}
			Duration silence = throttled.test(worker) ? Duration.ZERO : worker.silence(now);
			if (silence.compareTo(limit) > 0 && this.silenced.add(worker.id())) {
				logger.warn(LogMessage.format("%s has not been heard for %d ms: no new connections for it until it is",
						worker, silence.toMillis()));
				socket.unroute(worker.id());
			}
			else if (silence.compareTo(limit) <= 0 && this.silenced.remove(worker.id())) {
				logger.info(LogMessage.format("%s is heard again", worker));
				socket.route(worker.id(), worker.address(), worker.ports(), worker.socketPaths());
			}
		}
	}

	private void unroute(SupervisedWorker worker) {
		this.silenced.remove(worker.id());
		SharedSocket socket = this.socket.get();
		if (socket != null) {
			socket.unroute(worker.id());
		}
	}

}
