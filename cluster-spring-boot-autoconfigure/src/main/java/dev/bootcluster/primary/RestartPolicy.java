package dev.bootcluster.primary;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How long the primary waits before respawning a worker slot whose worker exited
 * unexpectedly: an exponential backoff per slot (Spring's {@link ExponentialBackOff}),
 * started over once a worker of the slot has run for the minimum uptime.
 */
public final class RestartPolicy {

	private final ExponentialBackOff backOff;

	private final Duration minUptime;

	private final Map<Integer, BackOffExecution> executions = new HashMap<>();

	/**
	 * Creates a policy.
	 * @param initial the first delay
	 * @param max the longest delay
	 * @param minUptime how long a worker must run for its slot's backoff to start over
	 */
	public RestartPolicy(Duration initial, Duration max, Duration minUptime) {
		this.backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
		this.backOff.setMaxInterval(max.toMillis());
		this.minUptime = minUptime;
	}

	/**
	 * The delay before respawning a slot whose worker just exited.
	 * @param slot the slot
	 * @param uptime how long the exited worker ran
	 * @return the delay
	 */
	public synchronized Duration delayAfterExit(int slot, Duration uptime) {
		if (uptime.compareTo(this.minUptime) >= 0) {
			this.executions.remove(slot);
		}
		BackOffExecution execution = this.executions.computeIfAbsent(slot, (key) -> this.backOff.start());
		return Duration.ofMillis(execution.nextBackOff());
	}

}
