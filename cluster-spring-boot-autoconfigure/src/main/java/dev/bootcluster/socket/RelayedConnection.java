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
 * <p>
 * Until the worker sends its first byte, the client's bytes it was given are kept (as far
 * as the buffer holds them): if the worker's side then fails (reset: it died with the
 * connection in its accept queue, or with the request unread), the relay may give them
 * to another worker, once ({@link #mustRetry()}). A worker that read the request and
 * closed without answering is not retried.
 */
final class RelayedConnection {

	private final SocketChannel client;

	private final SocketChannel worker;

	private final RelayBackends.Backend backend;

	private final ByteBuffer up; // client to worker, in fill mode

	private final ByteBuffer down; // worker to client, in fill mode

	private final boolean retryable;

	private SelectionKey clientKey;

	private SelectionKey workerKey;

	private boolean clientEnded;

	private boolean workerEnded;

	private boolean upShut;

	private boolean downShut;

	private boolean closed;

	private boolean connecting = true;

	private boolean keeping; // the client's bytes the worker had are kept, for a retry

	private int relayed; // bytes at the head of up that the worker has had, kept

	private boolean mustRetry;

	private long lastActivity = System.nanoTime();

	/**
	 * A connection of a client to a worker.
	 * @param client the client's side
	 * @param worker the worker's side, not connected yet
	 * @param backend the worker
	 * @param up the client's bytes for the worker, in fill mode: empty, or those another
	 * worker failed to take
	 * @param down a buffer for the worker's bytes
	 * @param clientEnded whether the client has ended its stream already
	 * @param retryable whether the client's bytes may go to another worker if this one's
	 * side fails before it answers (not for a connection that is itself a retry)
	 */
	RelayedConnection(SocketChannel client, SocketChannel worker, RelayBackends.Backend backend, ByteBuffer up,
			ByteBuffer down, boolean clientEnded, boolean retryable) {
		this.client = client;
		this.worker = worker;
		this.backend = backend;
		this.up = up;
		this.down = down;
		this.clientEnded = clientEnded;
		this.retryable = retryable;
		this.keeping = retryable;
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

	/**
	 * Whether the worker's side failed before the worker answered, so that the client's
	 * bytes, all kept, should go to another worker.
	 */
	boolean mustRetry() {
		return this.mustRetry;
	}

	/**
	 * Whether the client's bytes may go to another worker if this one fails before it
	 * answers: not for a connection that is itself such a retry.
	 */
	boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * Whether the client has ended its stream.
	 */
	boolean clientEnded() {
		return this.clientEnded;
	}

	/**
	 * Copies the client's bytes that no worker has answered into a buffer, for another
	 * worker: all it sent, when the connection fails before the worker answered.
	 * @param into a buffer in fill mode
	 */
	void copyRequest(ByteBuffer into) {
		into.put(this.up.duplicate().flip());
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
			if (side.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) { // not on a Unix socket
				side.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
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
		try {
			flushUp();
			if (readWorker && !this.workerEnded && this.down.hasRemaining()) {
				int position = this.down.position();
				this.workerEnded = read(this.worker, this.down);
				if (this.down.position() > position) {
					stopKeeping(); // the worker answered: it took the request
				}
			}
		}
		catch (IOException ex) {
			if (!this.keeping) {
				throw ex;
			}
			this.mustRetry = true; // reset before it answered: it did not take the request
			return;
		}
		flush(this.down, this.client);
		boolean upDone = this.up.position() == this.relayed;
		if (this.clientEnded && upDone && this.workerEnded && this.down.position() == 0) {
			close(); // both streams are over: closing ends each side's, one system call less
			return;
		}
		if (this.clientEnded && upDone && !this.upShut) {
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
		this.clientKey.interestOps(interest(this.clientEnded, this.up.hasRemaining(), this.down.position() > 0));
		this.workerKey.interestOps(interest(this.workerEnded, this.down.hasRemaining(), !upDone));
	}

	/**
	 * Writes to the worker what it has not had yet. While keeping, what it had stays at the
	 * head of the buffer; once the buffer is full, or the worker has answered, it goes.
	 */
	private void flushUp() throws IOException {
		int filled = this.up.position();
		if (filled > this.relayed) {
			this.up.limit(filled).position(this.relayed);
			if (this.worker.write(this.up) > 0) {
				this.lastActivity = System.nanoTime();
			}
			this.relayed = this.up.position();
			this.up.limit(this.up.capacity()).position(filled);
		}
		if (!this.keeping || !this.up.hasRemaining()) {
			stopKeeping();
		}
	}

	private void stopKeeping() {
		this.keeping = false;
		if (this.relayed > 0) {
			int filled = this.up.position();
			this.up.limit(filled).position(this.relayed);
			this.up.compact();
			this.relayed = 0;
		}
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
	 * buffer from the other side holds data it has not had.
	 */
	private static int interest(boolean ended, boolean room, boolean pending) {
		return ((!ended && room) ? SelectionKey.OP_READ : 0) | (pending ? SelectionKey.OP_WRITE : 0);
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
