package dev.bootcluster.socket;

import java.time.Duration;

/**
 * A wait that doubles with each failure in a row, from a first one to a cap.
 *
 * @param first the wait after one failure
 * @param max the longest wait
 */
record Backoff(Duration first, Duration max) {

	/**
	 * How long to wait after the given number of failures in a row.
	 * @param failures the failures, at least one
	 * @return the wait in nanoseconds
	 */
	long nanosAfter(int failures) {
		long doubled = this.first.toNanos() << Math.min(Math.max(failures, 1) - 1, 30);
		return Math.min(doubled, this.max.toNanos());
	}

}
