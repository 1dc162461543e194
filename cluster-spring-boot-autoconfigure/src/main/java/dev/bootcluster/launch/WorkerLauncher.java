package dev.bootcluster.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * Rebuilds the command line of the running primary for a worker: the same java, its JVM
 * options (filtered so that debug and JMX ports, and per-process output files, do not
 * collide), {@code -jar} for a Spring Boot jar or {@code -cp} and the main class
 * otherwise, and the exact program arguments; then the configured extra JVM options and
 * environment, and the options that size each worker for its share of the machine (see
 * {@link WorkerSizing}: processors, heap and GC, each unless the user chose it). With an
 * AOT cache directory, workers start from an AOT cache (a CDS archive before Java 25) that
 * the cluster records once it is settled, launched from the extracted jar when the primary
 * runs a Spring Boot fat jar.
 */
public final class WorkerLauncher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(WorkerLauncher.class);

	private static final Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*");

	private final String java;

	private final List<String> jvmOptions;

	private final List<String> launch;

	private final List<String> programArguments;

	private final Map<String, String> environment;

	private final WorkerSizing sizing;

	private final @Nullable WorkerAotCache aotCache;

	/** The worker count the sizing was last logged for. */
	private final AtomicInteger loggedWorkers = new AtomicInteger();

	/**
	 * Creates a launcher that gives the workers' heaps together the default share of the
	 * memory left after the primary's heap.
	 * @param runtime the facts of the running primary
	 * @param extraJvmOptions JVM options added after the inherited ones
	 * @param extraEnvironment variables added to the inherited environment
	 */
	public WorkerLauncher(PrimaryRuntime runtime, List<String> extraJvmOptions, Map<String, String> extraEnvironment) {
		this(runtime, extraJvmOptions, extraEnvironment, WorkerSizing.DEFAULT_HEAP_PERCENTAGE);
	}

	/**
	 * Creates a launcher.
	 * @param runtime the facts of the running primary
	 * @param extraJvmOptions JVM options added after the inherited ones
	 * @param extraEnvironment variables added to the inherited environment
	 * @param heapPercentage the percentage of the memory left after the primary's maximum
	 * heap that the workers' maximum heaps take together, unless the user sized them
	 */
	public WorkerLauncher(PrimaryRuntime runtime, List<String> extraJvmOptions, Map<String, String> extraEnvironment,
			double heapPercentage) {
		this(runtime, extraJvmOptions, extraEnvironment, heapPercentage, Machine.current(), null, Duration.ZERO);
	}

	/**
	 * Creates a launcher whose workers start from an AOT cache kept in the given directory.
	 * @param runtime the facts of the running primary
	 * @param extraJvmOptions JVM options added after the inherited ones
	 * @param extraEnvironment variables added to the inherited environment
	 * @param heapPercentage the percentage of the memory left after the primary's maximum
	 * heap that the workers' maximum heaps take together, unless the user sized them
	 * @param aotCacheDirectory where the caches are kept, or {@code null} for none
	 * @param aotCacheTimeout how long the extraction of the jar and the training run may
	 * each take
	 */
	public WorkerLauncher(PrimaryRuntime runtime, List<String> extraJvmOptions, Map<String, String> extraEnvironment,
			double heapPercentage, @Nullable Path aotCacheDirectory, Duration aotCacheTimeout) {
		this(runtime, extraJvmOptions, extraEnvironment, heapPercentage, Machine.current(), aotCacheDirectory,
				aotCacheTimeout);
	}

	WorkerLauncher(PrimaryRuntime runtime, List<String> extraJvmOptions, Map<String, String> extraEnvironment,
			double heapPercentage, Machine machine, @Nullable Path aotCacheDirectory, Duration aotCacheTimeout) {
		this.java = runtime.java();
		List<String> inherited = JvmOptions.forWorkers(runtime.inputArguments(), runtime.environment());
		this.jvmOptions = new ArrayList<>(inherited);
		this.jvmOptions.addAll(extraJvmOptions);
		this.launch = launch(runtime);
		this.programArguments = List.copyOf(runtime.programArguments());
		this.environment = new LinkedHashMap<>(runtime.environment());
		this.environment.putAll(extraEnvironment);
		this.sizing = new WorkerSizing(inherited, extraJvmOptions, this.environment, machine, heapPercentage);
		this.aotCache = (aotCacheDirectory != null)
				? WorkerAotCache.of(AotCacheFormat.of(Runtime.version().feature()), this.java, this.jvmOptions,
						this.launch, this.programArguments, this.environment, aotCacheDirectory, aotCacheTimeout)
				: null;
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
		command.addAll(this.sizing.options(workers));
		command.addAll((this.aotCache != null) ? this.aotCache.launch(sharedOptions(workers)) : this.launch);
		command.addAll(this.programArguments);
		Map<String, String> environment = new LinkedHashMap<>(this.environment);
		environment.putAll(clusterEnvironment);
		logSizing(workers);
		return new WorkerCommand(command, environment);
	}

	/**
	 * Tells that no worker is starting now: the moment to record the workers' AOT cache,
	 * if there is none for the jar as it is now. Returns at once.
	 * @param workers how many workers share the machine now
	 */
	public void settled(int workers) {
		if (this.aotCache != null) {
			this.aotCache.settled(sharedOptions(workers));
		}
	}

	/** Stops the recording of an AOT cache under way. */
	@Override
	public void close() {
		if (this.aotCache != null) {
			this.aotCache.close();
		}
	}

	/** The JVM options of every worker, before each is given its own file names. */
	private List<String> sharedOptions(int workers) {
		List<String> options = new ArrayList<>(this.jvmOptions);
		options.addAll(this.sizing.options(workers));
		return options;
	}

	/**
	 * Logs how workers are sized at the first launch, and again when the number of workers
	 * changes (workers launched before keep their size until they are replaced).
	 */
	private void logSizing(int workers) {
		if (this.loggedWorkers.getAndSet(workers) == workers) {
			return;
		}
		logger.info(LogMessage.of(() -> this.sizing.describe(workers)));
		String overcommit = this.sizing.overcommit(workers);
		if (overcommit != null) {
			logger.warn(overcommit);
		}
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
