package dev.bootcluster;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How many workers a primary runs: a fixed number, or {@code auto} for one per processor
 * available to this JVM (which honours container CPU limits), at most
 * {@code cluster.max-workers}. Only the word {@code auto} makes {@link #AUTO}: no number
 * stands for it.
 */
public final class WorkerCount {

	/**
	 * No workers: the application runs standalone.
	 */
	public static final WorkerCount NONE = new WorkerCount(false, 0);

	/**
	 * One worker per available processor.
	 */
	public static final WorkerCount AUTO = new WorkerCount(true, 0);

	private static final int MOST_BY_DEFAULT = 64;

	private final boolean auto;

	private final int fixed;

	private WorkerCount(boolean auto, int fixed) {
		this.auto = auto;
		this.fixed = fixed;
	}

	/**
	 * A fixed number of workers.
	 * @param fixed the number, 0 or more
	 * @return the worker count
	 * @throws IllegalArgumentException if the number is negative
	 */
	public static WorkerCount of(int fixed) {
		if (fixed < 0) {
			throw new IllegalArgumentException("A worker count must be 0 or more, or 'auto', not " + fixed);
		}
		return (fixed == 0) ? NONE : new WorkerCount(false, fixed);
	}

	/**
	 * Parses {@code auto} or a non-negative integer; used by Spring's conversion service when
	 * {@code cluster.workers} is bound.
	 * @param text the text to parse
	 * @return the worker count
	 * @throws IllegalArgumentException if the text is neither
	 */
	public static WorkerCount valueOf(String text) {
		String trimmed = text.trim();
		if (trimmed.toLowerCase(Locale.ROOT).equals("auto")) {
			return AUTO;
		}
		int fixed;
		try {
			fixed = Integer.parseInt(trimmed);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("A worker count must be 0 or more, or 'auto', not '" + text + "'");
		}
		return of(fixed);
	}

	/**
	 * The most workers a primary runs when {@code cluster.max-workers} is not set: four per
	 * processor available to this JVM, at most 64.
	 * @return the default limit
	 */
	public static int defaultMax() {
		return Math.min(4 * Runtime.getRuntime().availableProcessors(), MOST_BY_DEFAULT);
	}

	/**
	 * Whether the count is {@code auto}.
	 * @return {@code true} for {@code auto}
	 */
	public boolean isAuto() {
		return this.auto;
	}

	/**
	 * Resolves the count: {@code auto} against the processors available to this JVM, capped
	 * at the given limit; a fixed count as it is.
	 * @param maxWorkers the most workers {@code auto} may resolve to
	 * @return the number of workers to run
	 */
	public int resolve(int maxWorkers) {
		return this.auto ? Math.min(Runtime.getRuntime().availableProcessors(), maxWorkers) : this.fixed;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof WorkerCount count) && count.auto == this.auto && count.fixed == this.fixed;
	}

	@Override
	public int hashCode() {
		return this.auto ? -1 : this.fixed;
	}

	@Override
	public String toString() {
		return this.auto ? "auto" : Integer.toString(this.fixed);
	}

}
