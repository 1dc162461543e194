package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * Hands the primary's messages to the application on a thread of their own
 * ({@code cluster-messages}), in the order they came, so that a slow or failing
 * {@code PrimaryMessageEvent} listener never holds up the control channel's reader or the
 * heartbeats. Messages that come before the context is refreshed are held until it is.
 * <p>
 * At most a fixed number of messages wait, held or queued: when that many do, the reader
 * waits for room, and so reads no more from the primary, which sees a worker it cannot
 * write to. No message is dropped while the worker runs.
 */
final class PrimaryMessages {

	/**
	 * How many messages may wait for the application at most.
	 */
	static final int MAX_WAITING = 256;

	private static final Log logger = LogFactory.getLog(PrimaryMessages.class);

	private static final long ROOM_CHECK_MILLIS = 100;

	private final Consumer<ControlMessage.Message> publisher;

	private final int maxWaiting;

	private final Semaphore room;

	private final ExecutorService executor;

	private final List<ControlMessage.Message> held = new ArrayList<>();

	private boolean refreshed; // guarded by held

	private boolean full; // read and written by the reader only

	private volatile boolean heldBack;

	/**
	 * Creates the delivery of the primary's messages.
	 * @param publisher publishes one message to the application
	 * @param maxWaiting how many messages may wait at most
	 */
	PrimaryMessages(Consumer<ControlMessage.Message> publisher, int maxWaiting) {
		this.publisher = publisher;
		this.maxWaiting = maxWaiting;
		this.room = new Semaphore(maxWaiting);
		this.executor = Executors.newSingleThreadExecutor(ClusterThreads.factory("cluster-messages"));
	}

	/**
	 * Takes a message from the primary, waiting while too many wait already. Called by the
	 * control channel's reader only.
	 * @param message the message
	 */
	void received(ControlMessage.Message message) {
		if (!awaitRoom()) {
			logger.debug("Not delivering a message from the primary: the worker is closing");
			return;
		}
		synchronized (this.held) {
			if (this.refreshed) {
				deliver(message);
			}
			else {
				this.held.add(message);
			}
		}
	}

	/**
	 * Delivers the held messages, then every later one as it comes: the application's
	 * listeners are registered now.
	 */
	void refreshed() {
		synchronized (this.held) {
			this.refreshed = true;
			this.held.forEach(this::deliver);
			this.held.clear();
		}
	}

	/**
	 * Stops delivering: a message being published is interrupted, waiting ones are not
	 * delivered.
	 */
	void close() {
		this.executor.shutdownNow();
	}

	private boolean awaitRoom() {
		if (this.room.tryAcquire()) {
			this.full = false;
			return true;
		}
		if (!this.full) {
			this.full = true;
			logger.warn(LogMessage.format("%d messages from the primary wait for PrimaryMessageEvent listeners: "
					+ "reading no more from the primary until one is handled", this.maxWaiting));
		}
		this.heldBack = true;
		try {
			while (!this.room.tryAcquire(ROOM_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
				if (this.executor.isShutdown()) {
					return false;
				}
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.heldBack = false;
		}
	}

	/**
	 * Whether the reader waits for the listeners to catch up: the primary's frames,
	 * heartbeats among them, are not read meanwhile, which is no silence of the primary's.
	 * @return whether reading is held back
	 */
	boolean isHeldBack() {
		return this.heldBack;
	}

	private void deliver(ControlMessage.Message message) {
		try {
			this.executor.execute(() -> publish(message));
		}
		catch (RejectedExecutionException ex) {
			this.room.release();
			logger.debug("Not delivering a message from the primary: the worker is closing", ex);
		}
	}

	private void publish(ControlMessage.Message message) {
		try {
			this.publisher.accept(message);
		}
		catch (Throwable ex) {
			logger.error("A PrimaryMessageEvent listener failed; delivering the next message", ex);
		}
		finally {
			this.room.release();
		}
	}

}
