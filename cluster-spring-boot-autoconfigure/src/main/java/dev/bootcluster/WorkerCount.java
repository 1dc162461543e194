package dev.bootcluster;

import java.util.Locale;

/**
 * How many workers a primary runs: a fixed number, or {@code auto} for one per processor
 * available to this JVM (which honours container CPU limits).
 *
 * @param fixed the fixed count, or -1 for {@code auto}
 */
public record WorkerCount(int fixed) {

	/**
	 * No workers: the application runs standalone.
	 */
	public static final WorkerCount NONE = new WorkerCount(0);

	/**
	 * One worker per available processor.
	 */
	public static final WorkerCount AUTO = new WorkerCount(-1);

	public WorkerCount {
		if (fixed < -1) {
			throw new IllegalArgumentException("A worker count must be 0 or more, or 'auto', not " + fixed);
		}
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
		try {
			return new WorkerCount(Integer.parseInt(trimmed));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("A worker count must be 0 or more, or 'auto', not '" + text + "'");
		}
	}

	/**
	 * Whether the count is {@code auto}.
	 * @return {@code true} for {@code auto}
	 */
	public boolean isAuto() {
		return this.fixed == -1;
	}

	/**
	 * Resolves the count against the processors available to this JVM.
	 * @return the number of workers to run
	 */
	public int resolve() {
		return isAuto() ? Runtime.getRuntime().availableProcessors() : this.fixed;
	}

	@Override
	public String toString() {
		return isAuto() ? "auto" : Integer.toString(this.fixed);
	}

}
