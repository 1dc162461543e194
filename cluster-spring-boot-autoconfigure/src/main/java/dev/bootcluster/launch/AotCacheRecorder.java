package dev.bootcluster.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Runs the short-lived JVMs that make a workers' AOT cache: Spring Boot's
 * {@code -Djarmode=tools extract} of a fat jar, the training run, and the check that a
 * JVM can use the cache. Each runs with the primary's environment, its output in a file,
 * and is killed if it outlives its time or the primary stops it. Used on the cache's
 * thread only.
 */
final class AotCacheRecorder {

	/** What the JVM prints of its own about a cache it records. */
	private static final Pattern JVM_NOTE = Pattern.compile("\\[[\\d.]+s\\]|Temporary AOTConfiguration|Launching child "
			+ "process|Reading AOTConfiguration|AOTCache creation|Removed temporary AOT|Picked up ");

	private final String java;

	private final Map<String, String> environment;

	private volatile @Nullable Process running;

	private volatile boolean stopped;

	AotCacheRecorder(String java, Map<String, String> environment) {
		this.java = java;
		this.environment = environment;
	}

	/**
	 * Extracts a Spring Boot fat jar.
	 * @param jar the fat jar
	 * @param destination an empty directory
	 * @param log the file for the tool's output
	 * @param timeout how long it may take
	 * @return the application's jar in the destination, its dependencies in {@code lib/}
	 * @throws IOException if the extraction fails, with what the tool's output says
	 */
	Path extract(Path jar, Path destination, Path log, Duration timeout) throws IOException {
		run("The extraction of " + jar, List.of("-Djarmode=tools", "-jar", jar.toString(), "extract",
				"--destination", destination.toString()), Map.of(), log, timeout);
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(destination, "*.jar")) {
			for (Path extracted : jars) {
				return extracted;
			}
		}
		throw new IOException("The extraction of " + jar + " left no jar in " + destination);
	}

	/**
	 * Runs a JVM to its end.
	 * @param what what it does, for messages
	 * @param command its command line after the java executable
	 * @param environment variables added to the primary's
	 * @param log the file for its output
	 * @param timeout how long it may take
	 * @throws IOException if it cannot start, exits with a failure status (the message
	 * has what its output says) or takes too long
	 */
	void run(String what, List<String> command, Map<String, String> environment, Path log, Duration timeout)
			throws IOException {
		List<String> line = new ArrayList<>();
		line.add(this.java);
		line.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		builder.environment().clear();
		builder.environment().putAll(this.environment);
		builder.environment().putAll(environment);
		Process process;
		synchronized (this) {
			if (this.stopped) {
				throw new IOException(what + " was stopped: the primary stops");
			}
			process = builder.start();
			this.running = process;
		}
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				kill(process);
				process.waitFor();
				throw new IOException(what + " took more than " + timeout.toSeconds() + " s; its output is in " + log);
			}
		}
		catch (InterruptedException ex) {
			kill(process);
			Thread.currentThread().interrupt();
			throw new IOException(what + " was interrupted", ex);
		}
		finally {
			this.running = null;
		}
		if (process.exitValue() != 0) {
			throw new IOException(what + " exited with status " + process.exitValue() + " ("
					+ summary(log) + "); its output is in " + log);
		}
	}

	/** Whether {@link #stop()} was called: a run that ended since failed for it. */
	boolean isStopped() {
		return this.stopped;
	}

	/** Kills the JVM running now, if any, and refuses to start another. */
	void stop() {
		Process process;
		synchronized (this) {
			this.stopped = true;
			process = this.running;
		}
		if (process != null) {
			kill(process);
		}
	}

	/** Kills a JVM and the JVM it may have started (a JDK 25 training run assembles its cache in one). */
	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/**
	 * What a JVM's output says: its first line that tells of an error, else its last line
	 * but for the JVM's own notes on its cache.
	 * @param log the output
	 * @return the line, or a note that there is none
	 */
	static String summary(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return lines.stream()
				.filter((line) -> line.contains("[error") || line.startsWith("Error"))
				.findFirst()
				.or(() -> lines.stream()
					.filter((line) -> !line.isBlank() && !JVM_NOTE.matcher(line).lookingAt())
					.reduce((first, second) -> second))
				.map(String::strip)
				.orElse("no output");
		}
		catch (IOException ex) {
			return "its output cannot be read: " + ex.getMessage();
		}
	}

}
