package dev.bootcluster.supervision;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The first error that the primary's own machinery (its supervisor thread, control
 * channel, listener thread) met and the JVM may not recover from, such as an
 * {@link OutOfMemoryError}. Once there is one, the cluster reports itself unavailable and
 * health DOWN, so that an orchestrator replaces a primary that may no longer supervise:
 * it never reports UP half-dead. Logged once, loudly.
 */
final class PrimaryFailure {

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final AtomicReference<@Nullable String> description = new AtomicReference<>();

	/**
	 * Records an error if it is one the JVM may not recover from.
	 * @param where what failed, as a log names it
	 * @param error the error
	 * @return whether the error was such a failure
	 */
	boolean recordIfFatal(String where, Throwable error) {
		if (!(error instanceof VirtualMachineError)) {
			return false;
		}
		String description = where + ": " + error;
		if (this.description.compareAndSet(null, description)) {
			logger.fatal("The cluster primary's machinery failed in " + description
					+ "; health is DOWN from now on: restart the primary", error);
		}
		return true;
	}

	/**
	 * What failed first.
	 * @return where and what, or {@code null} while nothing has
	 */
	@Nullable String description() {
		return this.description.get();
	}

}
