package dev.bootcluster.primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Whether and when the primary respawns a worker slot whose worker failed (crashed or
 * timed out): an exponential backoff per slot (Spring's {@link ExponentialBackOff}), and
 * after {@code maxRestarts} failures in a row, each within the minimum uptime of its
 * start, no respawn at all: the slot is in a crash loop. A worker that ran the minimum
 * uptime starts its slot's count and backoff over.
 */
public final class RestartPolicy {

	private final ExponentialBackOff backOff;

	private final Duration minUptime;

	private final int maxRestarts;

	private final Clock clock;

	private final Map<Integer, SlotHistory> slots = new HashMap<>();

	/**
	 * Creates a policy on the system clock.
	 * @param initial the first delay
	 * @param max the longest delay
	 * @param minUptime how long a worker must run for its failure not to count towards a
	 * crash loop
	 * @param maxRestarts how many quick failures in a row make a crash loop
	 */
	public RestartPolicy(Duration initial, Duration max, Duration minUptime, int maxRestarts) {
		this(initial, max, minUptime, maxRestarts, Clock.systemUTC());
	}

	RestartPolicy(Duration initial, Duration max, Duration minUptime, int maxRestarts, Clock clock) {
		this.backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
		this.backOff.setMaxInterval(max.toMillis());
		this.minUptime = minUptime;
		this.maxRestarts = maxRestarts;
		this.clock = clock;
	}

	/**
	 * Decides on a slot whose worker just failed.
	 * @param slot the slot
	 * @param startedAt when the failed worker was started
	 * @return the decision
	 */
	public synchronized Decision failed(int slot, Instant startedAt) {
		Duration uptime = Duration.between(startedAt, this.clock.instant());
		if (uptime.compareTo(this.minUptime) >= 0) {
			this.slots.remove(slot);
		}
		SlotHistory history = this.slots.computeIfAbsent(slot, (key) -> new SlotHistory(this.backOff.start()));
		history.quickFailures++;
		if (history.quickFailures >= this.maxRestarts) {
			return new Decision(history.quickFailures, null);
		}
		return new Decision(history.quickFailures, Duration.ofMillis(history.backOff.nextBackOff()));
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
	 * @param quickFailures the failures in a row, each within the minimum uptime
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
