package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * The relay's event loop, on one thread with one selector: accepts on the public socket
 * only while some worker is routed (otherwise connections wait in the kernel's queue, as
 * they do in inherit mode), connects each client to the routed worker with the fewest open
 * connections (in turn among equals), and pumps bytes both ways with direct buffers from
 * a pool. Routing changes come from other threads as tasks.
 */
final class Relay implements Runnable {

	private static final Log logger = LogFactory.getLog(Relay.class);

	private static final int BUFFER_BYTES = 16 * 1024;

	private static final int POOLED_BUFFERS = 1024;

	private static final long SWEEP_INTERVAL_MILLIS = 1000;

	private final ServerSocketChannel server;

	private final long idleTimeoutNanos;

	private final Selector selector;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final List<Backend> backends = new ArrayList<>(); // few: one per routed worker

	private final Set<RelayedConnection> connections = new HashSet<>();

	private final Deque<ByteBuffer> pool = new ArrayDeque<>();

	private final SelectionKey acceptKey;

	private int turn;

	private volatile boolean stopped;

	private volatile @Nullable String failure;

	Relay(ServerSocketChannel server, Duration idleTimeout) throws IOException {
		this.server = server;
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.selector = Selector.open();
		this.acceptKey = server.register(this.selector, 0);
	}

	/**
	 * Sends new connections to a worker, too.
	 * @param workerId the worker's id
	 * @param address where the worker accepts
	 */
	void route(int workerId, InetSocketAddress address) {
		submit(() -> {
			this.backends.removeIf((backend) -> backend.workerId == workerId);
			this.backends.add(new Backend(workerId, address));
			this.acceptKey.interestOps(SelectionKey.OP_ACCEPT);
		});
	}

	/**
	 * Sends no new connection to a worker; those it has are relayed to their end.
	 * @param workerId the worker's id
	 */
	void unroute(int workerId) {
		submit(() -> {
			this.backends.removeIf((backend) -> backend.workerId == workerId);
			if (this.backends.isEmpty()) {
				this.acceptKey.interestOps(0);
			}
		});
	}

	void stop() {
		this.stopped = true;
		this.selector.wakeup();
	}

	private void submit(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/**
	 * Why the relay stopped relaying, if it failed.
	 */
	@Nullable String failure() {
		return this.failure;
	}

	private void failed(Throwable ex) {
		this.failure = "the relay: " + ex;
		logger.error("The relay failed; no new connection reaches a worker", ex);
	}

	@Override
	public void run() {
		long lastSweep = System.nanoTime();
		try {
			while (!this.stopped) {
				this.selector.select(SWEEP_INTERVAL_MILLIS);
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
				if (System.nanoTime() - lastSweep > SWEEP_INTERVAL_MILLIS * 1_000_000) {
					lastSweep = System.nanoTime();
					closeIdle(lastSweep);
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
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close the relay's selector", ex);
			}
		}
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
			pump(connection, null);
			return;
		}
		pump(connection, key);
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
		if (connection.isClosed()) {
			close(connection);
		}
	}

	/**
	 * A worker refused the connection (it has just died, and its exit is not yet known
	 * here): nothing of the client's has been read, so another worker gets it.
	 */
	private void reconnect(RelayedConnection connection, IOException failure) {
		Backend failed = connection.backend();
		logger.debug(LogMessage.format("Worker %d refused a relayed connection: %s", failed.workerId,
				failure.getMessage()));
		this.backends.remove(failed);
		SocketChannel client = connection.client();
		connection.closeWorkerSide();
		release(connection);
		Backend backend = leastLoaded();
		if (backend == null) {
			this.acceptKey.interestOps(0);
			closeQuietly(client);
			return;
		}
		connect(client, backend);
	}

	private void accept() {
		try {
			// with no worker routed (a refused connection unrouted the last), the rest wait in the queue
			while (!this.backends.isEmpty()) {
				SocketChannel client = this.server.accept();
				if (client == null) {
					return;
				}
				connect(client, Objects.requireNonNull(leastLoaded()));
			}
			this.acceptKey.interestOps(0);
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Failed to accept a connection: %s", ex.getMessage()));
		}
	}

	private void connect(SocketChannel client, Backend backend) {
		SocketChannel worker;
		try {
			worker = SocketChannel.open();
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Cannot open a connection to worker %d: %s", backend.workerId,
					ex.getMessage()));
			closeQuietly(client);
			return;
		}
		RelayedConnection connection = new RelayedConnection(client, worker, backend, buffer(), buffer());
		backend.open++;
		this.connections.add(connection);
		try {
			client.configureBlocking(false);
			client.setOption(StandardSocketOptions.TCP_NODELAY, true);
			worker.configureBlocking(false);
			worker.setOption(StandardSocketOptions.TCP_NODELAY, true);
			SelectionKey clientKey = client.keyFor(this.selector); // set when relayed before
			if (clientKey == null) {
				clientKey = client.register(this.selector, 0, connection);
			}
			clientKey.interestOps(0).attach(connection);
			SelectionKey workerKey = worker.register(this.selector, SelectionKey.OP_CONNECT, connection);
			connection.registered(clientKey, workerKey);
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
		pump(connection, null);
	}

	/**
	 * The routed worker with the fewest open connections, in turn among equals.
	 * @return the worker, or {@code null} if none is routed
	 */
	private @Nullable Backend leastLoaded() {
		Backend best = null;
		for (int i = 0; i < this.backends.size(); i++) {
			Backend backend = this.backends.get((this.turn + i) % this.backends.size());
			if (best == null || backend.open < best.open) {
				best = backend;
			}
		}
		this.turn++;
		return best;
	}

	private void closeIdle(long now) {
		for (RelayedConnection connection : new ArrayList<>(this.connections)) {
			if (now - connection.lastActivity() > this.idleTimeoutNanos) {
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
		if (this.connections.remove(connection)) {
			connection.backend().open--;
			for (ByteBuffer buffer : connection.buffers()) {
				if (this.pool.size() < POOLED_BUFFERS) {
					this.pool.push(buffer.clear());
				}
			}
		}
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private ByteBuffer buffer() {
		ByteBuffer buffer = this.pool.poll();
		return (buffer != null) ? buffer : ByteBuffer.allocateDirect(BUFFER_BYTES);
	}

	/**
	 * A routed worker and the connections open to it.
	 */
	static final class Backend {

		private final int workerId;

		private final InetSocketAddress address;

		private int open;

		Backend(int workerId, InetSocketAddress address) {
			this.workerId = workerId;
			this.address = address;
		}

	}

}
