package dev.bootcluster.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * The relay's event loop, on one thread with one selector: accepts on the public socket
 * only while some worker can take a client and fewer than the maximum of connections are
 * relayed (otherwise connections wait in the kernel's queue, as they do in inherit mode),
 * connects each client to the worker {@link RelayBackends} picks, and pumps bytes both
 * ways with direct buffers from a pool. A connect that is refused or takes too long moves
 * the client to another worker (or keeps it waiting until one can take it) and backs that
 * worker off; an accept that fails ({@code EMFILE}) backs accepting off. Routing changes
 * come from other threads as tasks.
 */
final class Relay implements Runnable {

	private static final Log logger = LogFactory.getLog(Relay.class);

	/** How often pending connects are checked for their timeout. */
	private static final long SWEEP_INTERVAL_NANOS = Duration.ofMillis(250).toNanos();

	/** How often every connection is checked for the idle timeout. */
	private static final long IDLE_SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	static final long CONNECT_TIMEOUT_NANOS = Duration.ofSeconds(2).toNanos();

	private static final Backoff ACCEPT_BACKOFF = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1));

	private final ServerSocketChannel server;

	private final long idleTimeoutNanos;

	private final int maxConnections;

	private final Selector selector;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final RelayBackends backends = new RelayBackends();

	private final Set<RelayedConnection> connections = new HashSet<>();

	private final Set<RelayedConnection> connecting = new HashSet<>(); // few: those not yet answered

	private final WaitingClients waiting = new WaitingClients();

	private final RelayBuffers buffers = new RelayBuffers();

	private final SelectionKey acceptKey;

	private int acceptFailures;

	private long acceptPausedUntil;

	private boolean accepting;

	private volatile boolean stopped;

	private volatile @Nullable String failure;

	private volatile @Nullable String unreachable;

	Relay(ServerSocketChannel server, Duration idleTimeout, int maxConnections) throws IOException {
		this.server = server;
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.maxConnections = maxConnections;
		this.selector = Selector.open();
		this.acceptKey = server.register(this.selector, 0);
	}

	/**
	 * Sends new connections to a worker, too.
	 * @param workerId the worker's id
	 * @param address where the worker accepts, as it reported it
	 */
	void route(int workerId, SocketAddress address) {
		submit(() -> {
			this.backends.route(workerId, address);
			refreshUnreachable();
		});
	}

	/**
	 * Sends no new connection to a worker; those it has are relayed to their end.
	 * @param workerId the worker's id
	 */
	void unroute(int workerId) {
		submit(() -> {
			this.backends.unroute(workerId);
			refreshUnreachable();
		});
	}

	void stop() {
		this.stopped = true;
		this.selector.wakeup();
	}

	/**
	 * Runs a task on the relay's thread.
	 */
	void submit(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/**
	 * Why the relay stopped relaying, if it failed.
	 */
	@Nullable String failure() {
		return this.failure;
	}

	/**
	 * Why no client can reach a worker now, if so (see {@link RelayBackends#unreachable()}).
	 */
	@Nullable String unreachable() {
		return this.unreachable;
	}

	boolean isStopped() {
		return this.stopped;
	}

	private void failed(Throwable ex) {
		this.failure = "the relay: " + ex;
		logger.error("The relay failed; no new connection reaches a worker", ex);
	}

	@Override
	public void run() {
		long lastSweep = System.nanoTime();
		long lastIdleSweep = lastSweep;
		try {
			while (!this.stopped) {
				this.selector.select(selectTimeoutMillis(System.nanoTime()));
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					task.run();
				}
				for (SelectionKey key : this.selector.selectedKeys()) {
					try {
						handle(key);
					}
					catch (RuntimeException ex) { // one connection's trouble must not stop the relay
						logger.warn("Closing a relayed connection after an unexpected failure", ex);
						if (key.attachment() instanceof RelayedConnection connection) {
							close(connection);
						}
					}
				}
				this.selector.selectedKeys().clear();
				long now = System.nanoTime();
				if (now - lastSweep > SWEEP_INTERVAL_NANOS) {
					lastSweep = now;
					timeOutConnects(now);
				}
				if (now - lastIdleSweep > IDLE_SWEEP_INTERVAL_NANOS) {
					lastIdleSweep = now;
					closeIdle(now);
				}
				dispatchWaiting(now);
				boolean accept = canAccept(now);
				if (accept != this.accepting) {
					this.accepting = accept;
					this.acceptKey.interestOps(accept ? SelectionKey.OP_ACCEPT : 0);
				}
			}
		}
		catch (IOException | ClosedSelectorException ex) {
			if (!this.stopped) {
				failed(ex);
			}
		}
		catch (Throwable ex) {
			failed(ex);
		}
		finally {
			new ArrayList<>(this.connections).forEach(this::close);
			this.waiting.closeAll();
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close the relay's selector", ex);
			}
		}
	}

	private long selectTimeoutMillis(long now) {
		long wait = Math.min(SWEEP_INTERVAL_NANOS, this.backends.untilNextRetry(now));
		if (this.acceptPausedUntil - now > 0) {
			wait = Math.min(wait, this.acceptPausedUntil - now);
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
	}

	private boolean canAccept(long now) {
		return !this.backends.isEmpty() && this.acceptPausedUntil - now <= 0 && this.waiting.isEmpty()
				&& this.connections.size() < this.maxConnections;
	}

	private void handle(SelectionKey key) {
		if (!key.isValid()) {
			return;
		}
		if (key == this.acceptKey) {
			accept();
			return;
		}
		RelayedConnection connection = (RelayedConnection) key.attachment();
		if (key.isConnectable()) {
			try {
				((SocketChannel) key.channel()).finishConnect();
			}
			catch (IOException ex) {
				reconnect(connection, ex);
				return;
			}
			connected(connection);
			return;
		}
		pump(connection, key);
	}

	private void connected(RelayedConnection connection) {
		connection.connected();
		this.connecting.remove(connection);
		this.backends.connected(connection.backend());
		if (this.unreachable != null) {
			refreshUnreachable();
		}
		pump(connection, null);
	}

	private void refreshUnreachable() {
		this.unreachable = this.backends.unreachable();
	}

	private void pump(RelayedConnection connection, @Nullable SelectionKey ready) {
		try {
			if (!connection.isClosed()) {
				connection.pump(ready);
			}
		}
		catch (IOException | RuntimeException ex) {
			connection.close();
		}
		if (connection.mustRetry()) {
			reconnect(connection, new ConnectException("reset before it answered"));
		}
		else if (connection.isClosed()) {
			close(connection);
		}
	}

	/**
	 * A worker refused the connection or did not take it in time (it has just died, its
	 * accept queue is full, it is paused), or reset it before it answered (it died with
	 * the connection in its queue): the worker has not taken what the client sent, so
	 * another worker gets it, or, if nothing was sent yet, the client waits for one.
	 */
	private void reconnect(RelayedConnection connection, IOException failure) {
		RelayBackends.Backend failed = connection.backend();
		long now = System.nanoTime();
		this.backends.failed(failed, now);
		refreshUnreachable();
		logger.debug(LogMessage.format("Worker %d at %s did not take a relayed connection: %s", failed.workerId,
				failed.address, failure.getMessage()));
		SocketChannel client = connection.client();
		ByteBuffer request = this.buffers.take();
		connection.copyRequest(request);
		boolean clientEnded = connection.clientEnded();
		boolean retryable = connection.isRetryable() && !connection.mustRetry(); // a retry gets no retry
		connection.closeWorkerSide();
		release(connection);
		RelayBackends.Backend backend = this.backends.next(now);
		if (backend != null) {
			connect(client, backend, request, clientEnded, retryable);
			return;
		}
		this.buffers.give(request);
		if (request.position() == 0 && !clientEnded) {
			this.waiting.add(client, now);
		}
		else { // what the client sent has no worker to go to
			RelayedConnection.closeQuietly(client);
		}
	}

	private void dispatchWaiting(long now) {
		for (SocketChannel first = this.waiting.first(now); first != null; first = this.waiting.first(now)) {
			RelayBackends.Backend backend = this.backends.next(now);
			if (backend == null) {
				return;
			}
			this.waiting.removeFirst();
			connect(first, backend);
		}
	}

	private void accept() {
		try {
			long now = System.nanoTime();
			while (canAccept(now)) {
				SocketChannel client = this.server.accept();
				if (client == null) {
					break;
				}
				RelayBackends.Backend backend = this.backends.next(now);
				if (backend != null) {
					connect(client, backend);
				}
				else { // every worker backs off: the client waits here, the others in the queue
					this.waiting.add(client, now);
				}
			}
			this.acceptFailures = 0;
		}
		catch (IOException ex) {
			// out of descriptors, say: the queue keeps the clients while accepting rests
			if (this.acceptFailures++ == 0) {
				logger.warn(LogMessage.format("Failed to accept a connection, accepting again in a moment: %s",
						ex.getMessage()));
			}
			this.acceptPausedUntil = System.nanoTime() + ACCEPT_BACKOFF.nanosAfter(this.acceptFailures);
		}
	}

	private void connect(SocketChannel client, RelayBackends.Backend backend) {
		connect(client, backend, this.buffers.take(), false, true);
	}

	private void connect(SocketChannel client, RelayBackends.Backend backend, ByteBuffer request, boolean clientEnded,
			boolean retryable) {
		SocketChannel worker;
		try {
			worker = SocketChannel.open(backend.family());
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Cannot open a connection to worker %d: %s", backend.workerId,
					ex.getMessage()));
			this.buffers.give(request);
			RelayedConnection.closeQuietly(client);
			return;
		}
		RelayedConnection connection = new RelayedConnection(client, worker, backend, request, this.buffers.take(),
				clientEnded, retryable);
		backend.open++;
		this.connections.add(connection);
		this.connecting.add(connection);
		try {
			connection.register(this.selector);
		}
		catch (IOException ex) {
			logger.debug("Cannot relay a client connection", ex);
			close(connection);
			return;
		}
		try {
			if (!worker.connect(backend.address)) {
				return; // the selector tells when it is connected
			}
		}
		catch (IOException ex) {
			reconnect(connection, ex);
			return;
		}
		connected(connection);
	}

	private void timeOutConnects(long now) {
		for (RelayedConnection connection : new ArrayList<>(this.connecting)) {
			if (now - connection.lastActivity() > CONNECT_TIMEOUT_NANOS) {
				reconnect(connection, new ConnectException("connect timed out"));
			}
		}
	}

	private void closeIdle(long now) {
		for (RelayedConnection connection : new ArrayList<>(this.connections)) {
			if (!connection.isConnecting() && now - connection.lastActivity() > this.idleTimeoutNanos) {
				logger.debug(LogMessage.format("Closing a connection to worker %d idle for over %d s",
						connection.backend().workerId, Duration.ofNanos(this.idleTimeoutNanos).toSeconds()));
				close(connection);
			}
		}
	}

	private void close(RelayedConnection connection) {
		connection.close();
		release(connection);
	}

	private void release(RelayedConnection connection) {
		this.connecting.remove(connection);
		if (this.connections.remove(connection)) {
			connection.backend().open--;
			for (ByteBuffer buffer : connection.buffers()) {
				this.buffers.give(buffer);
			}
		}
	}
}
