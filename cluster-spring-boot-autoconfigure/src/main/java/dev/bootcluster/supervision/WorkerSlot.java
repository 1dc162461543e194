package dev.bootcluster.supervision;

import java.util.concurrent.ScheduledFuture;

import dev.bootcluster.WorkerExitCause;
import org.jspecify.annotations.Nullable;

/**
 * One of the places for a worker that the primary keeps filled: the worker serving in it
 * and, while it is being replaced, its successor, which takes over once ready. Used on the
 * supervisor thread only.
 */
final class WorkerSlot {

	private final int number;

	private @Nullable SupervisedWorker current;

	private @Nullable SupervisedWorker successor;

	private WorkerExitCause successorFor = WorkerExitCause.DISCONNECTED;

	private @Nullable SupervisedWorker errored;

	private @Nullable ScheduledFuture<?> respawn;

	WorkerSlot(int number) {
		this.number = number;
	}

	int number() {
		return this.number;
	}

	@Nullable SupervisedWorker current() {
		return this.current;
	}

	void current(@Nullable SupervisedWorker worker) {
		this.current = worker;
		this.errored = null;
	}

	@Nullable SupervisedWorker successor() {
		return this.successor;
	}

	/**
	 * The cause recorded for the current worker once its successor takes over.
	 */
	WorkerExitCause successorFor() {
		return this.successorFor;
	}

	void successor(SupervisedWorker worker, WorkerExitCause replacing) {
		this.successor = worker;
		this.successorFor = replacing;
		this.errored = null;
	}

	void clearSuccessor() {
		this.successor = null;
	}

	/**
	 * Makes the successor the current worker.
	 * @return the worker it replaces, if any
	 */
	@Nullable SupervisedWorker promote() {
		SupervisedWorker replaced = this.current;
		this.current = this.successor;
		this.successor = null;
		return replaced;
	}

	/**
	 * The slot's last worker if the slot is in a crash loop.
	 */
	@Nullable SupervisedWorker errored() {
		return this.errored;
	}

	void errored(@Nullable SupervisedWorker lastWorker) {
		this.errored = lastWorker;
	}

	/**
	 * Whether a respawn of the slot waits out its backoff.
	 */
	boolean respawnPending() {
		ScheduledFuture<?> respawn = this.respawn;
		return respawn != null && !respawn.isDone();
	}

	/**
	 * Sets the slot's pending respawn, cancelling the one it replaces.
	 * @param respawn the new respawn, or {@code null} for none
	 */
	void respawn(@Nullable ScheduledFuture<?> respawn) {
		ScheduledFuture<?> previous = this.respawn;
		if (previous != null && previous != respawn) {
			previous.cancel(false);
		}
		this.respawn = respawn;
	}

	/**
	 * The highest worker id in the slot, to scale down the newest first; slots with no
	 * worker before any.
	 */
	int newestId() {
		if (this.current == null && this.successor == null) {
			return Integer.MAX_VALUE; // crash-looped, or waiting for a respawn
		}
		int newest = (this.current != null) ? this.current.id() : 0;
		return (this.successor != null) ? Math.max(newest, this.successor.id()) : newest;
	}

}
