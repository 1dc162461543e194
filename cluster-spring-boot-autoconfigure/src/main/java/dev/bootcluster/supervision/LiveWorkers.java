package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The workers whose processes have not been reaped yet, by id, readable from any thread,
 * and a way to wait until there are none.
 */
final class LiveWorkers {

	private final Map<Integer, SupervisedWorker> workers = new ConcurrentHashMap<>();

	void add(SupervisedWorker worker) {
		this.workers.put(worker.id(), worker);
	}

	void remove(SupervisedWorker worker) {
		synchronized (this.workers) {
			this.workers.remove(worker.id());
			this.workers.notifyAll();
		}
	}

	@Nullable SupervisedWorker get(int id) {
		return this.workers.get(id);
	}

	List<SupervisedWorker> sorted() {
		return this.workers.values().stream().sorted(Comparator.comparingInt(SupervisedWorker::id)).toList();
	}

	boolean isEmpty() {
		return this.workers.isEmpty();
	}

	/**
	 * Waits until no worker is left.
	 * @param timeout how long to wait
	 * @return whether none is left
	 */
	boolean awaitNone(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.workers) {
			while (!this.workers.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.workers, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

}
