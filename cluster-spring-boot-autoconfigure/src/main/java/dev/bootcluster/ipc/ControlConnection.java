package dev.bootcluster.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's end of one worker's control channel, open once the worker has proven
 * who it is. Nothing here blocks its caller: frames to the worker wait in a bounded queue
 * that a writer thread of the connection's own empties, so a worker that stops reading
 * fills its own queue and nobody else's thread; frames from the worker are read only
 * while those not yet handled stay within a bounded window, so a worker that floods
 * cannot grow the primary's heap.
 */
public final class ControlConnection {

	/** Bytes of frames that may wait for a worker; a frame always fits an empty queue. */
	static final int OUTBOUND_LIMIT_BYTES = 4 * FrameCodec.MAX_FRAME_BYTES;

	/** Bytes of a worker's frames that may wait to be handled; more than any one frame. */
	static final int INBOUND_WINDOW_BYTES = 2 * FrameCodec.MAX_FRAME_BYTES + 4;

	private static final Log logger = LogFactory.getLog(ControlConnection.class);

	private final SocketChannel channel;

	private final int workerId;

	private final long pid;

	private final BlockingQueue<ByteBuffer> outbound = new LinkedBlockingQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private volatile long progressNanos = System.nanoTime();

	private final Semaphore inbound = new Semaphore(INBOUND_WINDOW_BYTES);

	private volatile boolean throttled;

	private final Thread writer;

	private volatile @Nullable Thread reader;

	ControlConnection(SocketChannel channel, int workerId, long pid) {
		this.channel = channel;
		this.workerId = workerId;
		this.pid = pid;
		this.writer = new Thread(this::write, "cluster-control-writer-" + workerId);
		this.writer.setDaemon(true);
	}

	/**
	 * The id of the worker at the other end.
	 * @return the worker's id
	 */
	public int workerId() {
		return this.workerId;
	}

	/**
	 * The process id the worker gave when it connected.
	 * @return the worker's pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Queues a message for the worker; the connection's writer sends it. Returns at once.
	 * Messages from one caller are sent in order, each frame whole.
	 * @param message the message
	 * @throws FrameTooLargeException if the message is over the frame size limit
	 * @throws OutboundQueueFullException if the frames waiting for the worker would
	 * exceed the queue's limit: the worker is not reading
	 * @throws ClosedChannelException if the channel is closed
	 */
	public void send(ControlMessage message) throws IOException {
		ByteBuffer frame = FrameCodec.encode(message);
		if (!isOpen()) {
			throw new ClosedChannelException();
		}
		int size = frame.remaining();
		long queued;
		do {
			queued = this.queuedBytes.get();
			if (queued > 0 && queued + size > OUTBOUND_LIMIT_BYTES) {
				throw new OutboundQueueFullException(this.workerId, queued, stalledFor());
			}
		}
		while (!this.queuedBytes.compareAndSet(queued, queued + size));
		if (queued == 0) {
			this.progressNanos = System.nanoTime(); // a stall counts from the first frame waiting
		}
		this.outbound.add(frame);
	}

	/**
	 * How long frames have waited for the worker without it taking any: zero while
	 * nothing waits or the worker reads.
	 * @return the time since the worker last took a frame while some waited
	 */
	public Duration stalledFor() {
		return (this.queuedBytes.get() > 0) ? Duration.ofNanos(System.nanoTime() - this.progressNanos)
				: Duration.ZERO;
	}

	/**
	 * Whether the worker's frames are waiting for the primary to handle earlier ones: the
	 * worker is heard, though its frames are not read yet.
	 * @return whether reading is held back
	 */
	public boolean isThrottled() {
		return this.throttled;
	}

	/**
	 * Whether the channel is still open.
	 * @return whether it is
	 */
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Closes the channel and drops what still waits for the worker; the worker sees its
	 * primary gone unless it is leaving anyway.
	 */
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control channel of worker " + this.workerId, ex);
		}
		this.writer.interrupt();
		Thread reader = this.reader;
		if (reader != null && reader != Thread.currentThread()) {
			reader.interrupt(); // it may wait for room in the window
		}
		this.outbound.clear();
		this.queuedBytes.set(0);
	}

	void startWriting() {
		this.writer.start();
	}

	/**
	 * Waits until a frame just read fits the window, then counts it there.
	 * @param bytes the frame's size
	 * @return what to run once the frame is handled, to free its room
	 * @throws InterruptedException if the connection closes meanwhile
	 */
	Runnable admit(int bytes) throws InterruptedException {
		this.reader = Thread.currentThread();
		if (!this.inbound.tryAcquire(bytes)) {
			this.throttled = true;
			try {
				this.inbound.acquire(bytes);
			}
			finally {
				this.throttled = false;
			}
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				this.inbound.release(bytes);
			}
		};
	}

	private void write() {
		try {
			while (true) {
				ByteBuffer frame = this.outbound.take();
				int size = frame.remaining();
				while (frame.hasRemaining()) {
					this.channel.write(frame);
				}
				this.progressNanos = System.nanoTime();
				this.queuedBytes.addAndGet(-size);
			}
		}
		catch (InterruptedException | ClosedChannelException ex) {
			// closed on this side
		}
		catch (IOException ex) {
			logger.debug("Failed to write to the control channel of worker " + this.workerId, ex);
			close(); // the reader sees the end and reports it
		}
	}

	@Override
	public String toString() {
		return "ControlConnection[worker=" + this.workerId + ", pid=" + this.pid + "]";
	}

}
