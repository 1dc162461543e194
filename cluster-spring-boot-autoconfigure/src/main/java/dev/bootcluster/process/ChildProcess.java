package dev.bootcluster.process;

import java.io.File;
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

	/**
	 * Asks the process's JVM to print a thread dump to its standard output, which is the
	 * primary's: {@code SIGQUIT}, which a JVM answers without stopping. Windows has no such
	 * signal (the JDK would end the process instead), so nothing is sent there.
	 * @return whether it was asked
	 * @throws IOException if the signal cannot be sent
	 */
	default boolean requestThreadDump() throws IOException {
		return File.separatorChar == '/' && signal("QUIT");
	}

}
