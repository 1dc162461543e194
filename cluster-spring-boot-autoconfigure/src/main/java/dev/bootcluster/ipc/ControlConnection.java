package dev.bootcluster.ipc;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's end of one worker's control channel, open once the worker has proven
 * who it is. Nothing here blocks its caller: frames to the worker wait in a bounded
 * {@link OutboundQueue} that a writer thread of the connection's own empties, so a worker
 * that stops reading fills its own queue and nobody else's thread; frames from the worker
 * are read only while those not yet handled stay within a bounded window, so a worker
 * that floods cannot grow the primary's heap.
 */
public final class ControlConnection {

	/**
	 * Bytes of a worker's frames that may wait to be handled, each charged its size on
	 * the wire plus {@link #FRAME_OVERHEAD} for what it takes decoded; more than any one
	 * frame.
	 */
	static final int INBOUND_WINDOW_BYTES = 2 * FrameCodec.MAX_FRAME_BYTES + 4;

	/** What each frame is charged beyond its bytes, so that tiny frames are bounded too. */
	static final int FRAME_OVERHEAD = 1024;

	private static final Log logger = LogFactory.getLog(ControlConnection.class);

	private final SocketChannel channel;

	private final int workerId;

	private final long pid;

	private final OutboundQueue outbound;

	private final Semaphore inbound = new Semaphore(INBOUND_WINDOW_BYTES);

	private volatile boolean throttled;

	private volatile @Nullable Thread reader;

	ControlConnection(SocketChannel channel, int workerId, long pid, Consumer<Throwable> failed) {
		this.channel = channel;
		this.workerId = workerId;
		this.pid = pid;
		this.outbound = new OutboundQueue(channel, "worker " + workerId, failed);
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
		this.outbound.offer(message);
	}

	/**
	 * How long frames have waited for the worker without it taking any: zero while
	 * nothing waits or the worker reads.
	 * @return the time since the worker last took a frame while some waited
	 */
	public Duration stalledFor() {
		return this.outbound.stalledFor();
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
		this.outbound.close();
		Thread reader = this.reader;
		if (reader != null && reader != Thread.currentThread()) {
			reader.interrupt(); // it may wait for room in the window
		}
	}

	void startWriting() {
		this.outbound.start();
	}

	/**
	 * Waits until a frame just read fits the window, then counts it there.
	 * @param frameBytes the frame's size on the wire
	 * @return what to run once the frame is handled, to free its room
	 * @throws InterruptedException if the connection closes meanwhile
	 */
	Runnable admit(int frameBytes) throws InterruptedException {
		this.reader = Thread.currentThread();
		int charge = Math.min(frameBytes + FRAME_OVERHEAD, INBOUND_WINDOW_BYTES);
		if (!this.inbound.tryAcquire(charge)) {
			this.throttled = true;
			try {
				this.inbound.acquire(charge);
			}
			finally {
				this.throttled = false;
			}
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				this.inbound.release(charge);
			}
		};
	}

	@Override
	public String toString() {
		return "ControlConnection[worker=" + this.workerId + ", pid=" + this.pid + "]";
	}

}
