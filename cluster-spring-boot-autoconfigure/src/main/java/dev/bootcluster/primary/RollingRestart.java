package dev.bootcluster.primary;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The order of a rolling restart: slots waiting their turn, and at most a batch of them
 * being replaced at once. A slot's turn ends when its successor has taken over (or the
 * replacement was given up); then the next slot begins. Used on the supervisor thread only.
 */
final class RollingRestart {

	private final int batchSize;

	private final Deque<Integer> waiting = new ArrayDeque<>();

	private final Set<Integer> replacing = new HashSet<>();

	private @Nullable CompletableFuture<Void> done;

	RollingRestart(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * Starts a rolling restart of the given slots, or joins the one in progress.
	 * @param slots the slots, in order
	 * @return completed when every slot has been replaced
	 */
	CompletableFuture<Void> begin(Collection<Integer> slots) {
		CompletableFuture<Void> done = this.done;
		if (done != null) {
			return done;
		}
		this.waiting.addAll(slots);
		done = new CompletableFuture<>();
		this.done = done;
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
	 * Ends a slot's turn, or takes a slot out of the restart (as when it is scaled away).
	 * @param slot the slot
	 */
	void finished(int slot) {
		this.waiting.remove(slot);
		if (this.replacing.remove(slot)) {
			completeIfDone();
		}
	}

	boolean isReplacing(int slot) {
		return this.replacing.contains(slot);
	}

	/**
	 * Gives up the restart, as when the cluster stops.
	 */
	void cancel() {
		this.waiting.clear();
		this.replacing.clear();
		CompletableFuture<Void> done = this.done;
		this.done = null;
		if (done != null) {
			done.cancel(false);
		}
	}

	private void completeIfDone() {
		CompletableFuture<Void> done = this.done;
		if (done != null && this.waiting.isEmpty() && this.replacing.isEmpty()) {
			this.done = null;
			done.complete(null);
		}
	}

}
