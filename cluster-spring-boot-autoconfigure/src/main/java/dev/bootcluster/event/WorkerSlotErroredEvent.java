package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * A worker slot is in a crash loop: its workers failed {@code cluster.restart.max-restarts}
 * times in a row, each soon after its start, so the primary no longer respawns it. The
 * primary stays up; a rolling restart or scaling starts the slot again.
 */
public class WorkerSlotErroredEvent extends WorkerEvent {

	private final int failures;

	/**
	 * Creates a new event.
	 * @param lastWorker the slot's last worker, dead
	 * @param failures the failures in a row
	 */
	public WorkerSlotErroredEvent(Worker lastWorker, int failures) {
		super(lastWorker);
		this.failures = failures;
	}

	/**
	 * How many workers of the slot failed in a row.
	 * @return the failures
	 */
	public int getFailures() {
		return this.failures;
	}

}
