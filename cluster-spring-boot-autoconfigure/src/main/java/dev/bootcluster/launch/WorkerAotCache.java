package dev.bootcluster.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * The AOT cache the workers start from ({@link AotCacheFormat}): found in the store, or
 * recorded there once the cluster is settled (no worker starting) by one training run of
 * the application that ends when its context is refreshed. A Spring Boot fat jar is first
 * extracted, since its nested jars defeat the cache, and the workers are launched from the
 * extracted jar. The cache belongs to the jar as it was (its path, size and time) and to
 * the JDK: a worker launched after the jar changed on disk starts from the new jar without
 * a cache until the new one is recorded. The JVM checks a cache and starts without it if it
 * does not match; the primary checks it too, once for each set of the workers' JVM options,
 * and says so once. Launches are asked for on the supervisor thread and never wait: the
 * extraction, training and checks run on a thread of their own ({@code cluster-aot-cache}).
 */
final class WorkerAotCache implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(WorkerAotCache.class);

	/** Options a training run or a check of the cache does without: agents, debuggers, recordings, logs. */
	private static final Pattern NOT_FOR_TRAINING = Pattern
		.compile("-javaagent:.*|-agentlib:.*|-agentpath:.*|-Xrunjdwp:.*|-XX:StartFlightRecording.*|-Xlog:.*"
				+ "|-Xloggc:.*|-verbose(:.*)?");

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

	private final AotCacheFormat format;

	private final AotCacheStore store;

	private final AotCacheRecorder recorder;

	private final List<String> launch;

	private final List<Path> classPath;

	private final boolean fatJar;

	private final List<String> programArguments;

	private final Duration timeout;

	private final ExecutorService executor;

	private volatile @Nullable Prepared prepared;

	/** The versions whose cache could not be made: not tried again while the primary runs. */
	private final Set<String> failed = ConcurrentHashMap.newKeySet();

	/** Whether the JVM can use a cache (the first element) with the JVM options that follow. */
	private final Map<List<String>, Boolean> usable = new ConcurrentHashMap<>();

	private final AtomicBoolean preparing = new AtomicBoolean();

	private WorkerAotCache(AotCacheFormat format, AotCacheStore store, AotCacheRecorder recorder,
			List<String> launch, List<Path> classPath, boolean fatJar, List<String> programArguments,
			Duration timeout) {
		this.format = format;
		this.store = store;
		this.recorder = recorder;
		this.launch = launch;
		this.classPath = classPath;
		this.fatJar = fatJar;
		this.programArguments = programArguments;
		this.timeout = timeout;
		this.executor = Executors.newSingleThreadExecutor(ClusterThreads.factory("cluster-aot-cache"));
		String key = key();
		if (key != null) {
			adopt(key, false);
		}
	}

	/**
	 * A cache for workers launched as given, or {@code null} (and why, logged) when the
	 * launch defeats one: a class path with a directory, or JVM options that choose their
	 * own cache or archive.
	 * @param format what the JVM records, as its release does
	 * @param java the java executable, the primary's own
	 * @param jvmOptions the workers' JVM options
	 * @param launch {@code -jar} and the jar, or {@code -cp}, the class path and the main class
	 * @param programArguments the program arguments
	 * @param environment the workers' environment, less the variables that tie them to the primary
	 * @param directory the store's directory
	 * @param timeout how long the extraction and the training run may each take
	 * @return the cache, or {@code null}
	 */
	static @Nullable WorkerAotCache of(AotCacheFormat format, String java, List<String> jvmOptions, List<String> launch,
			List<String> programArguments, Map<String, String> environment, Path directory, Duration timeout) {
		List<String> allOptions = new ArrayList<>(jvmOptions);
		for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
			String value = environment.get(variable);
			if (value != null && !value.isBlank()) {
				allOptions.addAll(List.of(value.trim().split("\\s+")));
			}
		}
		String choice = AotCacheFormat.userChoice(allOptions);
		if (choice != null) {
			logger.info(LogMessage.format("Workers start without the cluster's AOT cache: their JVM options "
					+ "choose their own ('%s')", choice));
			return null;
		}
		List<Path> classPath = Pattern.compile(Pattern.quote(File.pathSeparator))
			.splitAsStream(launch.get(1))
			.map(Path::of)
			.map(Path::toAbsolutePath)
			.toList();
		Path directoryEntry = classPath.stream().filter((entry) -> !Files.isRegularFile(entry)).findFirst().orElse(null);
		if (directoryEntry != null) {
			logger.info(LogMessage.format("Workers start without an AOT cache: their class path has %s, "
					+ "and the JVM caches classes from jar files only", directoryEntry));
			return null;
		}
		boolean fatJar = launch.get(0).equals("-jar") && isFatJar(classPath.get(0));
		AotCacheStore store = new AotCacheStore(directory);
		try {
			store.secure();
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Workers start without an AOT cache: %s", ex.getMessage()));
			return null;
		}
		return new WorkerAotCache(format, store,
				new AotCacheRecorder(java, environment), launch, classPath, fatJar, programArguments, timeout);
	}

	/**
	 * How a worker is launched: from the cache when one is ready for the jar as it is now.
	 * @param jvmOptions the worker's JVM options
	 * @return the options and arguments that follow them: the cache's, then {@code -jar}
	 * and a jar, or {@code -cp}, a class path and the main class
	 */
	List<String> launch(List<String> jvmOptions) {
		Prepared prepared = this.prepared;
		if (prepared == null || !prepared.key().equals(key()) || !Files.isRegularFile(prepared.file())) {
			return this.launch;
		}
		List<String> options = forTraining(jvmOptions);
		List<String> usage = new ArrayList<>();
		usage.add(prepared.file().toString());
		usage.addAll(options);
		if (this.usable.putIfAbsent(usage, true) == null) {
			runLater(() -> check(prepared, options, usage));
		}
		List<String> launch = new ArrayList<>();
		if (this.usable.getOrDefault(usage, false)) {
			launch.add(this.format.use(prepared.file()));
		}
		launch.addAll(prepared.launch());
		return launch;
	}

	/**
	 * Tells that no worker is starting: the moment to record a cache for the jar as it is
	 * now, unless one is ready or the last attempt failed.
	 * @param jvmOptions the JVM options of a worker launched now
	 */
	void settled(List<String> jvmOptions) {
		String key = key();
		Prepared prepared = this.prepared;
		if (key == null || this.failed.contains(key) || (prepared != null && prepared.key().equals(key))
				|| !this.preparing.compareAndSet(false, true)) {
			return;
		}
		List<String> options = forTraining(jvmOptions);
		if (!runLater(() -> {
			try {
				adopt(key, true, options);
			}
			finally {
				this.preparing.set(false);
			}
		})) {
			this.preparing.set(false);
		}
	}

	/** Runs a task on the cache's thread, unless the primary stops. */
	private boolean runLater(Runnable task) {
		try {
			this.executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false; // closed: the primary stops
		}
	}

	/** Stops a training run or check under way, and releases the store. */
	@Override
	public void close() {
		this.recorder.stop();
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.store.close();
	}

	private void adopt(String key, boolean record) {
		adopt(key, record, List.of());
	}

	private void adopt(String key, boolean record, List<String> options) {
		Path entry = this.store.entry(key);
		long started = System.nanoTime();
		try {
			if (!this.store.isComplete(entry)) {
				if (!record) {
					return;
				}
				logger.info(LogMessage.format("Recording the workers' AOT cache in %s", entry));
				if (!this.store.build(entry, (empty) -> record(empty, options))) {
					logger.info(LogMessage.format("Another primary records the AOT cache in %s", entry));
					return; // tried again once the cluster settles again
				}
			}
			if (!this.store.use(entry)) {
				return;
			}
			Prepared prepared = new Prepared(key, this.format.file(entry), launchFrom(entry));
			this.prepared = prepared;
			long mib = Files.size(prepared.file()) / (1024 * 1024);
			logger.info(LogMessage.of(() -> "Workers start with the AOT cache " + prepared.file() + " (" + mib + " MiB"
					+ (record ? ", recorded in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s" : "")
					+ ")"));
			this.store.removeOthers(key);
		}
		catch (IOException | RuntimeException ex) {
			if (this.recorder.isStopped()) {
				logger.debug("The AOT cache was stopped with the primary", ex);
				return;
			}
			this.failed.add(key);
			logger.warn(LogMessage.format("Workers start without an AOT cache: %s", ex.getMessage()));
			logger.debug("The AOT cache failed", ex);
		}
	}

	private void record(Path entry, List<String> options) throws IOException {
		List<String> launch = this.launch;
		if (this.fatJar) {
			Path app = this.recorder.extract(this.classPath.get(0), entry.resolve("app"), entry.resolve("extract.log"),
					this.timeout);
			launch = List.of("-jar", app.toString());
		}
		Path file = this.format.file(entry);
		Path log = entry.resolve("training.log");
		List<String> command = new ArrayList<>(options);
		command.add(this.format.record(file));
		command.add("-Dspring.context.exit=onRefresh");
		command.addAll(launch);
		command.addAll(this.programArguments);
		this.recorder.run("The training run for the AOT cache", command,
				Map.of(WorkerEnvironment.TRAINING_VARIABLE, Long.toString(ProcessHandle.current().pid())),
				log, this.timeout);
		if (!Files.isRegularFile(file) || Files.size(file) == 0) {
			throw new IOException("The training run for the AOT cache wrote no " + file + " ("
					+ AotCacheRecorder.summary(log) + "); its output is in " + log);
		}
	}

	/** Checks once that a JVM with these options can use the cache; if not, workers start without it. */
	private void check(Prepared prepared, List<String> options, List<String> usage) {
		List<String> command = new ArrayList<>(options);
		command.addAll(this.format.require(prepared.file()));
		command.add("-cp");
		command.add(prepared.classPath());
		command.add("-version");
		try {
			this.recorder.run("The check of the AOT cache", command, Map.of(),
					prepared.file().resolveSibling("check.log"), CHECK_TIMEOUT);
		}
		catch (IOException ex) {
			if (this.recorder.isStopped()) {
				return;
			}
			this.usable.put(usage, false);
			logger.warn(LogMessage.format("Workers start without the AOT cache %s, since their JVM cannot use it "
					+ "with their options: %s", prepared.file(), ex.getMessage()));
		}
	}

	private List<String> launchFrom(Path entry) throws IOException {
		if (!this.fatJar) {
			return this.launch;
		}
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(entry.resolve("app"), "*.jar")) {
			for (Path jar : jars) {
				return List.of("-jar", jar.toString());
			}
		}
		throw new IOException("The AOT cache " + entry + " has no extracted jar");
	}

	/** The version the workers would start now: the jars' sizes and times, and the JDK's. */
	private @Nullable String key() {
		List<String> version = new ArrayList<>();
		try {
			for (Path jar : this.classPath) {
				version.add(jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis());
			}
		}
		catch (IOException ex) {
			return null; // the launch fails and says why
		}
		version.add(System.getProperty("java.vm.version"));
		version.add(this.format.name());
		return AotCacheStore.key(this.classPath + " " + System.getProperty("java.home"), version);
	}

	private static List<String> forTraining(List<String> jvmOptions) {
		return jvmOptions.stream().filter((option) -> !NOT_FOR_TRAINING.matcher(option).matches()).toList();
	}

	private static boolean isFatJar(Path jar) {
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			return jarFile.getManifest() != null
					&& jarFile.getManifest().getMainAttributes().getValue("Spring-Boot-Classes") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A cache ready for one version of the application.
	 *
	 * @param key the version
	 * @param file the cache
	 * @param launch how workers are launched with it
	 */
	private record Prepared(String key, Path file, List<String> launch) {

		String classPath() {
			return this.launch.get(1);
		}

	}

}
