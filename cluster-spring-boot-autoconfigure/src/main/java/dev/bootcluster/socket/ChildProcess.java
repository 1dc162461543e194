package dev.bootcluster.socket;

import java.io.IOException;

/**
 * A worker process as the operating system sees it: a pid, a way to signal it, and its end.
 */
public interface ChildProcess {

	/**
	 * The process id.
	 * @return the pid
	 */
	long pid();

	/**
	 * Blocks until the process has ended and reaps it. Called once, from a thread of the
	 * caller's own.
	 * @return how the process ended
	 * @throws IOException if the process cannot be waited for
	 */
	ProcessExit waitFor() throws IOException;

	/**
	 * Sends a signal to the process.
	 * @param signal the signal's name, such as {@code TERM} or {@code SIGKILL}
	 * @return {@code false} if the process was already gone
	 * @throws IOException if the signal cannot be sent
	 * @throws IllegalArgumentException if the signal is unknown
	 */
	boolean signal(String signal) throws IOException;

}
