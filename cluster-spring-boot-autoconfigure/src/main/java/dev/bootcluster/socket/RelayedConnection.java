package dev.bootcluster.socket;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * One client connection relayed to one worker: two bounded buffers, one each way. A side
 * is read only while the buffer it fills has room, so a slow reader slows its writer down
 * (back-pressure) and nothing grows without bound. An end of stream from one side is
 * passed on as a half-close once its buffer is written out; the connection closes when
 * both directions have ended, on any error, or when it has been idle too long.
 */
final class RelayedConnection {

	private final SocketChannel client;

	private final SocketChannel worker;

	private final RelayBackends.Backend backend;

	private final ByteBuffer up; // client to worker, in fill mode

	private final ByteBuffer down; // worker to client, in fill mode

	private SelectionKey clientKey;

	private SelectionKey workerKey;

	private boolean clientEnded;

	private boolean workerEnded;

	private boolean upShut;

	private boolean downShut;

	private boolean closed;

	private boolean connecting = true;

	private long lastActivity = System.nanoTime();

	RelayedConnection(SocketChannel client, SocketChannel worker, RelayBackends.Backend backend, ByteBuffer up,
			ByteBuffer down) {
		this.client = client;
		this.worker = worker;
		this.backend = backend;
		this.up = up;
		this.down = down;
	}

	SocketChannel client() {
		return this.client;
	}

	RelayBackends.Backend backend() {
		return this.backend;
	}

	ByteBuffer[] buffers() {
		return new ByteBuffer[] { this.up, this.down };
	}

	long lastActivity() {
		return this.lastActivity;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Whether the connect to the worker is still under way; since when is
	 * {@link #lastActivity()}.
	 */
	boolean isConnecting() {
		return this.connecting;
	}

	void connected() {
		this.connecting = false;
		this.lastActivity = System.nanoTime();
	}

	/**
	 * Puts both sides on the relay's selector, the worker's side waiting for its connect
	 * and the client's for nothing until then; a client relayed before keeps its key.
	 */
	void register(Selector selector) throws IOException {
		for (SocketChannel side : new SocketChannel[] { this.client, this.worker }) {
			side.configureBlocking(false);
			side.setOption(StandardSocketOptions.TCP_NODELAY, true);
		}
		SelectionKey clientKey = this.client.keyFor(selector); // set when relayed before
		if (clientKey == null) {
			clientKey = this.client.register(selector, 0);
		}
		clientKey.interestOps(0).attach(this);
		this.clientKey = clientKey;
		this.workerKey = this.worker.register(selector, SelectionKey.OP_CONNECT, this);
	}

	/**
	 * Moves what can be moved either way without blocking, then asks the selector for
	 * what each side is waiting for. Only a side the selector found readable is read (a
	 * read that finds nothing is a wasted system call), and only a buffer holding data is
	 * written out.
	 * @param ready the key the selector chose, or {@code null} when the worker has just
	 * been connected and the client may have sent something already
	 * @throws IOException if either side fails
	 */
	void pump(@Nullable SelectionKey ready) throws IOException {
		boolean readClient = (ready == null) || (ready == this.clientKey && ready.isReadable());
		boolean readWorker = ready == this.workerKey && ready.isReadable();
		if (readClient && !this.clientEnded && this.up.hasRemaining()) {
			this.clientEnded = read(this.client, this.up);
		}
		flush(this.up, this.worker);
		if (readWorker && !this.workerEnded && this.down.hasRemaining()) {
			this.workerEnded = read(this.worker, this.down);
		}
		flush(this.down, this.client);
		if (this.clientEnded && this.up.position() == 0 && !this.upShut) {
			this.upShut = true;
			this.worker.shutdownOutput();
		}
		if (this.workerEnded && this.down.position() == 0 && !this.downShut) {
			this.downShut = true;
			this.client.shutdownOutput();
		}
		if (this.upShut && this.downShut) {
			close();
			return;
		}
		this.clientKey.interestOps(interest(this.clientEnded, this.up, this.down));
		this.workerKey.interestOps(interest(this.workerEnded, this.down, this.up));
	}

	/**
	 * Reads into a buffer.
	 * @return whether the side has ended its stream
	 */
	private boolean read(SocketChannel from, ByteBuffer into) throws IOException {
		int read = from.read(into);
		if (read > 0) {
			this.lastActivity = System.nanoTime();
		}
		return read < 0;
	}

	private void flush(ByteBuffer from, SocketChannel to) throws IOException {
		if (from.position() > 0) {
			from.flip();
			if (to.write(from) > 0) {
				this.lastActivity = System.nanoTime();
			}
			from.compact();
		}
	}

	/**
	 * A side reads while it has not ended and its buffer has room, and writes while the
	 * buffer from the other side holds data.
	 */
	private static int interest(boolean ended, ByteBuffer fills, ByteBuffer drains) {
		return ((!ended && fills.hasRemaining()) ? SelectionKey.OP_READ : 0)
				| ((drains.position() > 0) ? SelectionKey.OP_WRITE : 0);
	}

	/**
	 * Closes the worker's side only, before anything was relayed, so that the client can
	 * be relayed to another worker.
	 */
	void closeWorkerSide() {
		this.closed = true;
		closeQuietly(this.worker);
	}

	/**
	 * Closes both sides; the relay returns the buffers and the worker's count.
	 */
	void close() {
		if (!this.closed) {
			this.closed = true;
			closeQuietly(this.client);
			closeQuietly(this.worker);
		}
	}

	static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
