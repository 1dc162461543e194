package dev.bootcluster.process;

import java.io.IOException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A worker's process could not be started. The message names the command by its
 * executable and what it runs ({@code -jar app.jar}, or the main class), and says why:
 * the operating system's error or the JDK's. It leaves out the JVM options and program
 * arguments, which may hold secrets, and the environment, which holds the worker's
 * control token.
 */
public class WorkerSpawnException extends IOException {

	private static final List<String> CLASS_PATH_OPTIONS = List.of("-cp", "-classpath", "--class-path");

	/**
	 * Creates a new instance.
	 * @param command the command line that could not be started, the executable first
	 * @param reason why, such as {@code No such file or directory}
	 * @param cause the failure, or {@code null}
	 */
	public WorkerSpawnException(List<String> command, String reason, @Nullable Throwable cause) {
		super("Cannot start " + describe(command) + ": " + reason, cause);
	}

	// the executable, then -jar and its jar or the class path option and the main class,
	// with "..." for what is left out
	private static String describe(List<String> command) {
		if (command.isEmpty()) {
			return "an empty command";
		}
		String executable = command.get(0);
		for (int i = 1; i < command.size(); i++) {
			String argument = command.get(i);
			int length = argument.equals("-jar") ? 2 : CLASS_PATH_OPTIONS.contains(argument) ? 3 : 0;
			if (length > 0 && i + length <= command.size()) {
				String runs = (length == 2) ? "-jar " + command.get(i + 1)
						: argument + " ... " + command.get(i + 2);
				return executable + ((i > 1) ? " ... " : " ") + runs
						+ ((i + length < command.size()) ? " ..." : "");
			}
		}
		return executable + ((command.size() > 1) ? " ..." : "");
	}

}
