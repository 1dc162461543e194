package dev.bootcluster.process;

import org.jspecify.annotations.Nullable;

/**
 * How a process ended: with an exit code or by a signal, never both, as Node reports a
 * worker's {@code exit} event; neither for a process that could not be started at all.
 *
 * @param code the exit code, or {@code null} if a signal ended the process
 * @param signal the signal's name, such as {@code SIGKILL}, or {@code null} if the process
 * exited by itself
 */
public record ProcessExit(@Nullable Integer code, @Nullable String signal) {

	/**
	 * The end of a process that was never started: its launch failed.
	 */
	public static final ProcessExit NOT_STARTED = new ProcessExit(null, null);

	/**
	 * Creates an exit with a code or a signal, or neither for a process never started.
	 * @param code the exit code, or {@code null}
	 * @param signal the signal's name, or {@code null}
	 */
	public ProcessExit {
		if (code != null && signal != null) {
			throw new IllegalArgumentException("A process exits with either a code or a signal, not both");
		}
	}

	/**
	 * An exit by the process itself.
	 * @param code the exit code
	 * @return the exit
	 */
	public static ProcessExit ofCode(int code) {
		return new ProcessExit(code, null);
	}

	/**
	 * An end by a signal.
	 * @param signal the signal's name or number, such as {@code KILL}, {@code SIGKILL} or
	 * {@code 9}
	 * @return the exit
	 */
	public static ProcessExit ofSignal(String signal) {
		return new ProcessExit(null, Signals.name(Signals.number(signal)));
	}

	/**
	 * Decodes the status word of {@code waitpid} for a process that has ended.
	 * @param status the status word
	 * @return the exit
	 */
	static ProcessExit fromWaitStatus(int status) {
		int termination = status & 0x7f;
		if (termination == 0) {
			return ofCode((status >> 8) & 0xff);
		}
		return new ProcessExit(null, Signals.name(termination));
	}

	/**
	 * Decodes the exit value the JDK reports for a {@link Process}: on Unix, 128 plus the
	 * signal's number for a process a signal ended (a process that exits with such a code
	 * by itself reads the same).
	 */
	static ProcessExit fromExitValue(int value, boolean unix) {
		return (unix && value > 128 && value <= 128 + 64) ? new ProcessExit(null, Signals.name(value - 128))
				: ofCode(value);
	}

	@Override
	public String toString() {
		if (this.code != null) {
			return "code " + this.code;
		}
		return (this.signal != null) ? "signal " + this.signal : "no process (its launch failed)";
	}

}
