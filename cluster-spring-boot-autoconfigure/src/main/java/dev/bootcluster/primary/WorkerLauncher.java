package dev.bootcluster.primary;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the command line of the running primary for a worker: the same java, its JVM
 * options (filtered so that debug and JMX ports, and per-process output files, do not
 * collide), {@code -jar} for a Spring Boot jar or {@code -cp} and the main class
 * otherwise, and the exact program arguments; then the configured extra JVM options and
 * environment.
 */
public final class WorkerLauncher {

	private static final Log logger = LogFactory.getLog(WorkerLauncher.class);

	private static final Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*");

	private final String java;

	private final List<String> jvmOptions;

	private final List<String> launch;

	private final List<String> programArguments;

	private final Map<String, String> environment;

	/**
	 * Creates a launcher.
	 * @param runtime the facts of the running primary
	 * @param extraJvmOptions JVM options added after the inherited ones
	 * @param extraEnvironment variables added to the inherited environment
	 */
	public WorkerLauncher(PrimaryRuntime runtime, List<String> extraJvmOptions, Map<String, String> extraEnvironment) {
		this.java = runtime.java();
		this.jvmOptions = new ArrayList<>(JvmOptions.forWorkers(runtime.inputArguments(), runtime.environment()));
		this.jvmOptions.addAll(extraJvmOptions);
		this.launch = launch(runtime);
		this.programArguments = List.copyOf(runtime.programArguments());
		this.environment = new LinkedHashMap<>(runtime.environment());
		this.environment.putAll(extraEnvironment);
	}

	/**
	 * The command line and environment of one worker.
	 * @param workerId the worker's id
	 * @param workers how many workers share the machine now (to size the worker's JVM)
	 * @param clusterEnvironment the variables that tie the worker to this primary
	 * @return the command
	 */
	public WorkerCommand command(int workerId, int workers, Map<String, String> clusterEnvironment) {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(JvmOptions.perWorker(this.jvmOptions, workerId));
		command.addAll(JvmOptions.sizing(this.jvmOptions, workers, Runtime.getRuntime().availableProcessors()));
		command.addAll(this.launch);
		command.addAll(this.programArguments);
		Map<String, String> environment = new LinkedHashMap<>(this.environment);
		environment.putAll(clusterEnvironment);
		return new WorkerCommand(command, environment);
	}

	private static List<String> launch(PrimaryRuntime runtime) {
		String classPath = runtime.classPath();
		String[] entries = classPath.split(Pattern.quote(File.pathSeparator));
		if (entries.length == 1 && entries[0].endsWith(".jar") && isExecutableJar(Path.of(entries[0]))) {
			return List.of("-jar", entries[0]);
		}
		String mainClass = mainClass(runtime.command());
		if (mainClass == null) {
			throw new IllegalStateException("Cannot tell the main class of this JVM (sun.java.command is '"
					+ runtime.command() + "'); start the application with 'java -jar' or 'java -cp ... MainClass'");
		}
		return List.of("-cp", classPath, mainClass);
	}

	private static boolean isExecutableJar(Path jar) {
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			Manifest manifest = jarFile.getManifest();
			return manifest != null && manifest.getMainAttributes().getValue("Main-Class") != null;
		}
		catch (IOException ex) {
			logger.debug("Not an executable jar: " + jar, ex);
			return false;
		}
	}

	private static @Nullable String mainClass(@Nullable String javaCommand) {
		if (javaCommand == null || javaCommand.isBlank()) {
			return null;
		}
		String first = Arrays.stream(javaCommand.trim().split(" ")).findFirst().orElse("");
		return CLASS_NAME.matcher(first).matches() ? first : null;
	}

}
