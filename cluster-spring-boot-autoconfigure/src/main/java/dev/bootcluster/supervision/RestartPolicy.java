package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Whether and when the primary respawns a worker slot whose worker failed (crashed, timed
 * out, or could not be launched): an exponential backoff per slot (Spring's
 * {@link ExponentialBackOff}) while its workers keep failing, and after
 * {@code maxRestarts} respawns that all failed again, no respawn at all: the slot is in a
 * crash loop. A failure counts towards the loop unless the worker had been READY for the
 * minimum uptime: a worker that fails before it is ready is a boot failure, however long
 * its boot took. Only a worker that served the minimum uptime starts its slot's count and
 * backoff over.
 */
public final class RestartPolicy {

	private final ExponentialBackOff backOff;

	private final Duration minUptime;

	private final int maxRestarts;

	private final Map<Integer, SlotHistory> slots = new HashMap<>();

	/**
	 * Creates a policy.
	 * @param initial the first delay
	 * @param max the longest delay
	 * @param minUptime how long a worker must have been ready for its failure not to
	 * count towards a crash loop
	 * @param maxRestarts how many respawns a slot gets while its workers keep failing
	 */
	public RestartPolicy(Duration initial, Duration max, Duration minUptime, int maxRestarts) {
		this.backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
		this.backOff.setMaxInterval(max.toMillis());
		this.minUptime = minUptime;
		this.maxRestarts = maxRestarts;
	}

	/**
	 * Decides on a slot whose worker just failed.
	 * @param slot the slot
	 * @param readyFor how long the failed worker had been READY, zero if it never was
	 * @return the decision
	 */
	public synchronized Decision failed(int slot, Duration readyFor) {
		if (readyFor.compareTo(this.minUptime) >= 0) {
			this.slots.remove(slot);
		}
		SlotHistory history = this.slots.computeIfAbsent(slot, (key) -> new SlotHistory(this.backOff.start()));
		history.quickFailures++;
		if (history.quickFailures > this.maxRestarts) {
			return new Decision(history.quickFailures, null);
		}
		return new Decision(history.quickFailures, Duration.ofMillis(history.backOff.nextBackOff()));
	}

	/**
	 * Follows a slot whose worker ended, for whatever cause: one that had been READY for
	 * the minimum uptime starts the slot's count and backoff over.
	 * @param slot the slot
	 * @param readyFor how long the worker had been READY, zero if it never was
	 */
	public synchronized void ended(int slot, Duration readyFor) {
		if (readyFor.compareTo(this.minUptime) >= 0) {
			this.slots.remove(slot);
		}
	}

	/**
	 * Forgets a slot's failures, as when an operator restarts it.
	 * @param slot the slot
	 */
	public synchronized void reset(int slot) {
		this.slots.remove(slot);
	}

	/**
	 * What to do with a slot whose worker failed.
	 *
	 * @param quickFailures the failures in a row, none after the minimum uptime ready
	 * @param delay how long to wait before respawning, or {@code null} if the slot is in a
	 * crash loop and must not be respawned
	 */
	public record Decision(int quickFailures, @Nullable Duration delay) {

		/**
		 * Whether the slot is in a crash loop.
		 * @return whether it is
		 */
		public boolean isCrashLoop() {
			return this.delay == null;
		}

	}

	private static final class SlotHistory {

		private final BackOffExecution backOff;

		private int quickFailures;

		SlotHistory(BackOffExecution backOff) {
			this.backOff = backOff;
		}

	}

}
