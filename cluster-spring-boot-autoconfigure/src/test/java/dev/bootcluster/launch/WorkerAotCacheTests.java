package dev.bootcluster.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers' AOT cache with real JVMs: a training run of a small application, the cache
 * it leaves, the JVMs started with it, and the faults: a training run that fails or hangs,
 * a jar changed on disk, a cache the JVM cannot use, a primary that stops.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerAotCacheTests {

	private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private static final String MAIN = TrainingMain.class.getName();

	private static final List<String> OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC");

	private static final String READY = "Workers start with the AOT cache";

	@TempDir
	Path temp;

	@ParameterizedTest
	@EnumSource(AotCacheFormat.class)
	void recordsTheCacheOnceSettledAndLaterWorkersStartWithIt(AotCacheFormat format, CapturedOutput output)
			throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(format, jar, "ok", Duration.ofSeconds(60))) {
			assertThat(cache.launch(OPTIONS)).as("none yet").isEqualTo(launch(jar));
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> output.toString().contains(READY));
			Path file = format.file(onlyEntry());
			assertThat(cache.launch(OPTIONS)).containsExactly(format.use(file), "-cp", jar.toString(), MAIN);
			List<String> command = new ArrayList<>(OPTIONS);
			command.addAll(format.require(file)); // fails to start unless the cache is used
			command.addAll(launch(jar));
			assertThat(run(command)).contains("training ok");
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file.resolveSibling("check.log")));
			assertThat(cache.launch(OPTIONS)).contains(format.use(file));
			assertThat(output).doesNotContain("WARN");
		}
	}

	@Test
	void aWorkerLaunchedAfterTheJarChangedStartsWithoutTheCacheUntilItsOwnIsRecorded(CapturedOutput output)
			throws Exception {
		Path jar = jar(1);
		Path first;
		Path second;
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> output.toString().contains(READY));
			first = onlyEntry();
			jar(2); // a new release on disk
			assertThat(cache.launch(OPTIONS)).isEqualTo(launch(jar));
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(output, READY) == 2);
			Path old = first;
			second = entries().stream().filter((entry) -> !entry.equals(old)).findFirst().orElseThrow();
			assertThat(cache.launch(OPTIONS))
				.startsWith(AotCacheFormat.AOT_CACHE.use(AotCacheFormat.AOT_CACHE.file(second)));
			assertThat(entries()).as("workers of the first may run still").contains(first);
		}
		try (WorkerAotCache next = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			assertThat(next.launch(OPTIONS)).contains(AotCacheFormat.AOT_CACHE.use(AotCacheFormat.AOT_CACHE.file(second)));
			assertThat(output).contains("Removed the AOT cache " + first + " of an earlier version");
			assertThat(onlyEntry()).isEqualTo(this.temp.resolve("cache").resolve(second.getFileName()));
		}
	}

	@Test
	void aTrainingRunThatFailsIsToldOnceAndNotTriedAgainForThatJar(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "exit=3", Duration.ofSeconds(60))) {
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> output.toString().contains("without an AOT cache"));
			assertThat(output).contains("Workers start without an AOT cache: The training run for the AOT cache "
					+ "exited with status 3 (training exit=3 " + TrainingMain.Loaded.class.getName()
					+ "); its output is in " + onlyEntry().resolve("training.log"));
			cache.settled(OPTIONS);
			cache.settled(OPTIONS);
			jar(2); // another jar is tried: the tasks run in order, so a retry would come first
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(output, "without an AOT cache") == 2);
			assertThat(count(output, "Recording the workers' AOT cache")).isEqualTo(2);
			assertThat(cache.launch(OPTIONS)).isEqualTo(launch(jar));
		}
	}

	@Test
	void aCacheTheJvmCannotUseNeverStopsAWorkerAndIsLeftOutOnceChecked(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> output.toString().contains(READY));
		}
		Path file = AotCacheFormat.AOT_CACHE.file(onlyEntry());
		Files.write(file, new byte[4096]); // damaged
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			List<String> launch = cache.launch(OPTIONS);
			assertThat(launch).as("found at the start").startsWith(AotCacheFormat.AOT_CACHE.use(file));
			List<String> command = new ArrayList<>(OPTIONS);
			command.addAll(launch);
			assertThat(run(command)).contains("training ok"); // the JVM starts without it
			await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("cannot use it"));
			assertThat(output).contains("Workers start without the AOT cache " + file
					+ ", since their JVM cannot use it with their options: The check of the AOT cache exited");
			assertThat(cache.launch(OPTIONS)).isEqualTo(launch(jar));
			assertThat(count(output, "cannot use it")).isOne();
		}
	}

	@Test
	void anEntryLeftIncompleteByAPrimaryThatDiedIsRecordedAgain(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> output.toString().contains(READY));
		}
		Path entry = onlyEntry();
		Files.delete(entry.resolve("complete"));
		Files.write(AotCacheFormat.AOT_CACHE.file(entry), new byte[10]); // half written
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(60))) {
			assertThat(cache.launch(OPTIONS)).isEqualTo(launch(jar));
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(output, READY) == 2);
			List<String> command = new ArrayList<>(OPTIONS);
			command.addAll(AotCacheFormat.AOT_CACHE.require(AotCacheFormat.AOT_CACHE.file(entry)));
			command.addAll(launch(jar));
			assertThat(run(command)).contains("training ok");
		}
	}

	@Test
	void aTrainingRunThatOutlivesItsTimeIsKilled(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "sleep=60", Duration.ofSeconds(3))) {
			cache.settled(OPTIONS);
			await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("without an AOT cache"));
			assertThat(output).contains("The training run for the AOT cache took more than 3 s");
			assertThat(trainingRuns()).isEmpty();
		}
	}

	@Test
	void aPrimaryThatStopsEndsTheTrainingRunUnderWay(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "sleep=60", Duration.ofSeconds(60));
		cache.settled(OPTIONS);
		ProcessHandle training = await().atMost(Duration.ofSeconds(30))
			.until(() -> trainingRuns().findFirst(), Optional::isPresent)
			.orElseThrow();
		cache.close();
		assertThat(training.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
		assertThat(output).as("nothing failed").doesNotContain("WARN");
	}

	@Test
	void theStoreIsTheUsersOnlyAndOneOthersMayWriteToIsNotUsed(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		try (WorkerAotCache cache = cache(AotCacheFormat.AOT_CACHE, jar, "ok", Duration.ofSeconds(1))) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.temp.resolve("cache"))))
				.isEqualTo("rwx------");
		}
		Files.setPosixFilePermissions(this.temp.resolve("cache"), PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThat(WorkerAotCache.of(AotCacheFormat.AOT_CACHE, JAVA, OPTIONS, launch(jar), List.of(), Map.of(),
				this.temp.resolve("cache"), Duration.ofSeconds(1)))
			.isNull();
		assertThat(output).contains("Workers start without an AOT cache: " + this.temp.resolve("cache")
				+ " may be written by other users (rwxrwxrwx)");
	}

	@Test
	void aClassPathWithADirectoryOrJvmOptionsThatChooseTheirOwnGetNoCache(CapturedOutput output) throws Exception {
		Path jar = jar(1);
		assertThat(WorkerAotCache.of(AotCacheFormat.AOT_CACHE, JAVA, List.of(),
				List.of("-cp", this.temp + ":" + jar, MAIN), List.of(), Map.of(), this.temp.resolve("cache"),
				Duration.ofSeconds(1)))
			.isNull();
		assertThat(output).contains("Workers start without an AOT cache: their class path has " + this.temp
				+ ", and the JVM caches classes from jar files only");
		assertThat(WorkerAotCache.of(AotCacheFormat.AOT_CACHE, JAVA, List.of("-Xshare:off"), launch(jar), List.of(),
				Map.of(), this.temp.resolve("cache"), Duration.ofSeconds(1)))
			.isNull();
		assertThat(output).contains("their JVM options choose their own ('-Xshare:off')");
		assertThat(WorkerAotCache.of(AotCacheFormat.AOT_CACHE, JAVA, List.of(), launch(jar), List.of(),
				Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g  -XX:SharedArchiveFile=/app/app.jsa"), this.temp.resolve("cache"),
				Duration.ofSeconds(1)))
			.isNull();
		assertThat(output).contains("their JVM options choose their own ('-XX:SharedArchiveFile=/app/app.jsa')");
	}

	private WorkerAotCache cache(AotCacheFormat format, Path jar, String argument, Duration timeout) {
		WorkerAotCache cache = WorkerAotCache.of(format, JAVA, OPTIONS, launch(jar), List.of(argument),
				Map.of("PATH", System.getenv("PATH")), this.temp.resolve("cache"), timeout);
		assertThat(cache).isNotNull();
		return cache;
	}

	private static List<String> launch(Path jar) {
		return List.of("-cp", jar.toString(), MAIN);
	}

	/** The application's jar; each release a little different, with a later time. */
	private Path jar(int release) throws IOException {
		Path jar = this.temp.resolve("app.jar");
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
			for (Class<?> type : List.of(TrainingMain.class, TrainingMain.Loaded.class)) {
				String name = type.getName().replace('.', '/') + ".class";
				jarOut.putNextEntry(new JarEntry(name));
				try (var in = type.getClassLoader().getResourceAsStream(name)) {
					in.transferTo(jarOut);
				}
			}
			jarOut.putNextEntry(new JarEntry("release.txt"));
			jarOut.write(("release " + release).getBytes());
		}
		Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L + release * 1000L));
		return jar;
	}

	private Path onlyEntry() throws IOException {
		List<Path> entries = entries();
		assertThat(entries).hasSize(1);
		return entries.get(0);
	}

	private List<Path> entries() throws IOException {
		try (Stream<Path> entries = Files.list(this.temp.resolve("cache"))) {
			return entries.toList();
		}
	}

	private static String run(List<String> command) throws Exception {
		List<String> line = new ArrayList<>(List.of(JAVA));
		line.addAll(command);
		line.add("ok");
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

	private static Stream<ProcessHandle> trainingRuns() {
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> process.info().arguments().map(List::of).orElse(List.of()).contains(MAIN));
	}

	private static long count(CapturedOutput output, String text) {
		return output.toString().lines().filter((line) -> line.contains(text)).count();
	}

}
