package dev.bootcluster.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code /proc} says of a process, and real signals sent to it.
 */
public final class Processes {

	private Processes() {
	}

	/**
	 * Whether the process still runs. A worker whose primary was killed is reparented to
	 * init and stays a zombie until init reaps it: it has ended all the same.
	 * @param pid the process
	 * @return whether it runs
	 */
	public static boolean isAlive(long pid) {
		char state = state(pid);
		return state != 0 && state != 'Z';
	}

	/**
	 * Whether the process is stopped ({@code SIGSTOP}).
	 * @param pid the process
	 * @return whether it is stopped
	 */
	public static boolean isStopped(long pid) {
		return state(pid) == 'T';
	}

	/**
	 * The process's resident set size.
	 * @param pid the process
	 * @return KiB, or -1 if it has ended
	 */
	public static long rssKiB(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException ex) {
			// no such process
		}
		return -1;
	}

	/**
	 * Sends a signal with the {@code kill} command, as an operator would.
	 * @param pid the process
	 * @param signal the signal's name, e.g. {@code HUP}
	 * @throws IOException if {@code kill} fails
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public static void signal(long pid, String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IOException("kill -" + signal + " " + pid + " failed");
		}
	}

	/**
	 * Whether a process leads a process group of its own, as a worker spawned natively in
	 * inherit mode does (one started by the JDK shares its primary's group).
	 * @param pid the process
	 * @return whether its process group id is its pid
	 * @throws IOException if the process cannot be read
	 */
	public static boolean leadsItsOwnProcessGroup(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return fields[2].equals(Long.toString(pid));
	}

	// the state letter of /proc/PID/stat, 0 for no such process
	private static char state(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
