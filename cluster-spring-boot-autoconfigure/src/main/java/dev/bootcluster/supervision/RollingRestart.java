package dev.bootcluster.supervision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The order of rolling restarts: slots waiting their turn, and at most a batch of them
 * being replaced at once. A slot's turn ends when its successor has taken over (or the
 * replacement was given up); then the next slot begins. A restart asked for while another
 * runs rolls every slot again, those already rolled and the one being rolled included, so
 * that every slot ends on the newest launch. Used on the supervisor thread only.
 */
final class RollingRestart {

	private final int batchSize;

	private final Deque<Integer> waiting = new ArrayDeque<>();

	private final Set<Integer> replacing = new HashSet<>();

	// slots being replaced by a successor launched before the latest restart was asked for
	private final Set<Integer> again = new HashSet<>();

	private final List<CompletableFuture<Void>> pending = new ArrayList<>();

	RollingRestart(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * Starts a rolling restart of the given slots; during another, rolls them all again.
	 * @param slots the slots, in order
	 * @return completed when every slot has been replaced since this call
	 */
	CompletableFuture<Void> begin(Collection<Integer> slots) {
		for (Integer slot : slots) {
			if (this.replacing.contains(slot)) {
				this.again.add(slot);
			}
			else if (!this.waiting.contains(slot)) {
				this.waiting.addLast(slot);
			}
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.pending.add(done);
		completeIfDone();
		return done;
	}

	/**
	 * Takes the slots whose turn has come.
	 * @return the slots to replace now
	 */
	List<Integer> next() {
		List<Integer> next = new ArrayList<>();
		while (this.replacing.size() < this.batchSize && !this.waiting.isEmpty()) {
			Integer slot = this.waiting.removeFirst();
			this.replacing.add(slot);
			next.add(slot);
		}
		return next;
	}

	/**
	 * Ends a slot's turn; a slot asked for again meanwhile waits for another turn.
	 * @param slot the slot
	 */
	void finished(int slot) {
		if (this.replacing.remove(slot) && this.again.remove(slot)) {
			this.waiting.addLast(slot);
		}
		completeIfDone();
	}

	/**
	 * Takes a slot out of every restart, as when it is scaled away.
	 * @param slot the slot
	 */
	void remove(int slot) {
		this.waiting.remove(slot);
		this.replacing.remove(slot);
		this.again.remove(slot);
		completeIfDone();
	}

	/**
	 * Rolls a slot whose turn has come once more after this turn, as when its replacement
	 * was launched before the restart was asked for.
	 * @param slot the slot
	 */
	void rollAgain(int slot) {
		if (this.replacing.contains(slot)) {
			this.again.add(slot);
		}
	}

	boolean isReplacing(int slot) {
		return this.replacing.contains(slot);
	}

	/**
	 * Gives up every restart, as when the cluster stops.
	 */
	void cancel() {
		this.waiting.clear();
		this.replacing.clear();
		this.again.clear();
		List<CompletableFuture<Void>> pending = List.copyOf(this.pending);
		this.pending.clear();
		pending.forEach((done) -> done.cancel(false));
	}

	private void completeIfDone() {
		if (this.waiting.isEmpty() && this.replacing.isEmpty() && !this.pending.isEmpty()) {
			List<CompletableFuture<Void>> pending = List.copyOf(this.pending);
			this.pending.clear();
			pending.forEach((done) -> done.complete(null));
		}
	}

}
