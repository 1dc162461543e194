package dev.bootcluster.process;

import java.util.List;
import java.util.Locale;

/**
 * Names and numbers of the POSIX signals as Linux numbers them, so exits read
 * {@code SIGKILL} rather than 9 and operators can name signals as they do with
 * {@code kill}.
 */
final class Signals {

	// Index = signal number on Linux (x86-64 and AArch64 alike).
	private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
			"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
			"TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

	private Signals() {
	}

	/**
	 * The number of a signal.
	 * @param signal a name with or without the {@code SIG} prefix, in any case, or a number
	 * @return the signal's number
	 * @throws IllegalArgumentException if there is no such signal
	 */
	static int number(String signal) {
		String name = signal.trim().toUpperCase(Locale.ROOT);
		if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
			int number = Integer.parseInt(name);
			if (number > 0 && number < 65) {
				return number;
			}
		}
		int index = NAMES.indexOf(name.startsWith("SIG") ? name.substring(3) : name);
		if (index <= 0) {
			throw new IllegalArgumentException("Unknown signal '" + signal + "'");
		}
		return index;
	}

	/**
	 * The name of a signal.
	 * @param number the signal's number
	 * @return its name with the {@code SIG} prefix, such as {@code SIGKILL}, or
	 * {@code SIGRTMIN+n} style {@code SIG<n>} for numbers without a name
	 */
	static String name(int number) {
		return (number > 0 && number < NAMES.size()) ? "SIG" + NAMES.get(number) : "SIG" + number;
	}

}
