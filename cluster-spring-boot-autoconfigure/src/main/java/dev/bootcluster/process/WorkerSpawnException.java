package dev.bootcluster.process;

import java.io.IOException;
import java.util.ArrayList;
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
		List<String> shown = new ArrayList<>(List.of(command.get(0)));
		int end = 1;
		for (int i = 1; i < command.size() - 1; i++) {
			String argument = command.get(i);
			boolean jar = argument.equals("-jar");
			if (jar || (CLASS_PATH_OPTIONS.contains(argument) && i + 2 < command.size())) {
				if (i > 1) {
					shown.add("...");
				}
				shown.addAll(
						jar ? List.of(argument, command.get(i + 1)) : List.of(argument, "...", command.get(i + 2)));
				end = i + (jar ? 2 : 3);
				break;
			}
		}
		if (end < command.size()) {
			shown.add("...");
		}
		return String.join(" ", shown);
	}

}
