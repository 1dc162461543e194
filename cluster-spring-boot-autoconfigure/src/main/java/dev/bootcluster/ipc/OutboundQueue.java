package dev.bootcluster.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The frames waiting for one peer of the control channel, bounded in bytes, and the
 * writer thread of their own that sends them, so that no caller ever waits for the peer:
 * a peer that stops reading fills only its own queue, and a send then fails at once.
 * Used on both sides: by the primary for each worker, by a worker for its primary.
 */
final class OutboundQueue {

	/** Bytes of frames that may wait for a peer; a frame always fits an empty queue. */
	static final int LIMIT_BYTES = 4 * FrameCodec.MAX_FRAME_BYTES;

	private static final Log logger = LogFactory.getLog(OutboundQueue.class);

	private final SocketChannel channel;

	private final String peer;

	private final Consumer<Throwable> failed;

	private final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private volatile long progressNanos = System.nanoTime();

	private final Thread writer;

	/**
	 * Creates a queue; nothing is written before {@link #start()}.
	 * @param channel the peer's channel, blocking
	 * @param peer the peer, as messages name it ("worker 3", "the primary")
	 * @param failed told of an error the writer cannot go on after; the channel is closed
	 */
	OutboundQueue(SocketChannel channel, String peer, Consumer<Throwable> failed) {
		this.channel = channel;
		this.peer = peer;
		this.failed = failed;
		this.writer = ClusterThreads.newThread("cluster-control-writer[" + peer + "]", this::write);
	}

	void start() {
		this.writer.start();
	}

	/**
	 * Queues a message; returns at once.
	 * @param message the message
	 * @throws FrameTooLargeException if the message is over the frame size limit
	 * @throws OutboundQueueFullException if the frames waiting would exceed the limit
	 * @throws ClosedChannelException if the channel is closed
	 */
	void offer(ControlMessage message) throws IOException {
		ByteBuffer frame = FrameCodec.encode(message);
		int size = frame.remaining();
		long queued;
		do {
			if (!this.channel.isOpen()) {
				throw new ClosedChannelException();
			}
			queued = this.queuedBytes.get();
			if (queued > 0 && queued + size > LIMIT_BYTES) {
				throw new OutboundQueueFullException(this.peer, queued, stalledFor());
			}
			if (queued == 0) {
				this.progressNanos = System.nanoTime(); // a stall counts from the first frame waiting
			}
		}
		while (!this.queuedBytes.compareAndSet(queued, queued + size));
		this.frames.add(frame);
		if (!this.channel.isOpen()) {
			clear(); // closed meanwhile: nothing will take it
			throw new ClosedChannelException();
		}
	}

	/**
	 * Whether the frames waiting take more than half the limit: what the sender may put
	 * off (such as a worker's meters) waits, so that its heartbeats always fit.
	 * @return whether half the limit is taken
	 */
	boolean isBacklogged() {
		return this.queuedBytes.get() > LIMIT_BYTES / 2;
	}

	/**
	 * How long frames have waited without the peer taking any: zero while nothing waits.
	 * @return the time since the peer last took a frame while some waited
	 */
	Duration stalledFor() {
		return (this.queuedBytes.get() > 0) ? Duration.ofNanos(System.nanoTime() - this.progressNanos)
				: Duration.ZERO;
	}

	/**
	 * Waits until every frame queued so far is written, at most the given time.
	 * @param timeout how long to wait
	 * @return whether the queue is empty
	 */
	boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.queuedBytes) {
			while (this.queuedBytes.get() > 0 && this.channel.isOpen()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.queuedBytes, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return this.queuedBytes.get() == 0;
	}

	/**
	 * Ends the writer and drops what still waits.
	 */
	void close() {
		this.writer.interrupt();
		clear();
	}

	private void clear() {
		this.frames.clear();
		this.queuedBytes.set(0);
		synchronized (this.queuedBytes) {
			this.queuedBytes.notifyAll();
		}
	}

	private void write() {
		try {
			while (true) {
				ByteBuffer frame = this.frames.take();
				int size = frame.remaining();
				while (frame.hasRemaining()) {
					this.channel.write(frame);
				}
				this.progressNanos = System.nanoTime();
				if (this.queuedBytes.addAndGet(-size) <= 0) {
					synchronized (this.queuedBytes) {
						this.queuedBytes.notifyAll();
					}
				}
			}
		}
		catch (InterruptedException | ClosedChannelException ex) {
			// closed on this side
		}
		catch (IOException ex) {
			logger.debug("Failed to write to the control channel of " + this.peer, ex);
			closeChannel(); // the reader sees the end and reports it
		}
		catch (Throwable ex) {
			logger.error("The control channel's writer for " + this.peer + " failed", ex);
			closeChannel();
			this.failed.accept(ex);
		}
	}

	private void closeChannel() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control channel of " + this.peer, ex);
		}
		clear();
	}

}
