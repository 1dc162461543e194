package dev.bootcluster.socket;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

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
	 * The process's end, once it has ended and been reaped.
	 * @return how the process ended; fails if its end cannot be known
	 */
	CompletableFuture<ProcessExit> onExit();

	/**
	 * Sends a signal to the process.
	 * @param signal the signal's name, such as {@code TERM} or {@code SIGKILL}
	 * @return {@code false} if the process was already gone
	 * @throws IOException if the signal cannot be sent
	 * @throws IllegalArgumentException if the signal is unknown
	 */
	boolean signal(String signal) throws IOException;

}
