package dev.bootcluster.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * When a worker last heard from its primary, which heartbeats every
 * {@code cluster.worker.heartbeat-interval}: a primary unheard for
 * {@code cluster.worker.heartbeat-timeout} is silent (hung, or stopped), which is logged
 * once, and so is its return. Measured in monotonic time.
 */
final class PrimarySilence {

	private static final Log logger = LogFactory.getLog(PrimarySilence.class);

	private final Duration timeout;

	private final LongSupplier nanoTime;

	private final BooleanSupplier heldBack;

	private final AtomicBoolean reported = new AtomicBoolean();

	private volatile long lastHeard;

	/**
	 * Starts counting from now.
	 * @param timeout how long the primary may stay unheard
	 * @param nanoTime the monotonic clock, {@link System#nanoTime()} but in tests
	 * @param heldBack whether this worker itself holds the primary's frames back (its
	 * listeners are behind): the primary counts as heard meanwhile
	 */
	PrimarySilence(Duration timeout, LongSupplier nanoTime, BooleanSupplier heldBack) {
		this.timeout = timeout;
		this.nanoTime = nanoTime;
		this.heldBack = heldBack;
		this.lastHeard = nanoTime.getAsLong();
	}

	/**
	 * The primary was heard just now.
	 */
	void heard() {
		this.lastHeard = this.nanoTime.getAsLong();
		if (this.reported.get()) {
			check();
		}
	}

	/**
	 * Logs when the primary falls silent and when it is heard again; called at every
	 * heartbeat and on hearing from the primary.
	 */
	void check() {
		Optional<Duration> silence = silence();
		if (silence.isPresent()) {
			if (this.reported.compareAndSet(false, true)) {
				logger.warn(LogMessage.format(
						"The primary has not been heard for %d ms (cluster.worker.heartbeat-timeout is %d ms): "
								+ "it is hung or stopped; health is DOWN until it is heard again",
						silence.get().toMillis(), this.timeout.toMillis()));
			}
		}
		else if (this.reported.compareAndSet(true, false)) {
			logger.info("The primary is heard again; health follows the cluster's state");
		}
	}

	/**
	 * How long the primary has been unheard, if longer than the timeout.
	 * @return the silence, or empty while the primary is heard in time
	 */
	Optional<Duration> silence() {
		if (this.heldBack.getAsBoolean()) {
			this.lastHeard = this.nanoTime.getAsLong();
			return Optional.empty();
		}
		Duration unheard = Duration.ofNanos(this.nanoTime.getAsLong() - this.lastHeard);
		return (unheard.compareTo(this.timeout) > 0) ? Optional.of(unheard) : Optional.empty();
	}

}
