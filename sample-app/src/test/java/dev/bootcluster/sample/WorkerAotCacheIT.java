package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers' AOT cache on the sample's fat jar, as {@code java -jar} users get it: once
 * the cluster is ready the primary extracts the jar and records the cache in one training
 * run; a worker launched after that starts from the extracted jar with it (an AOT cache on
 * Java 25, a CDS archive on Java 17); a jar replaced on disk is what the rolled workers run,
 * and gets a cache of its own; a primary launched again starts its first workers with it;
 * a cache the JVM cannot use stops no worker and is said once; a training run ends with
 * its primary, even one killed by {@code SIGKILL}. The build runs this test in
 * inherit mode, on Java 25 and on Java 17: how connections reach workers does not matter
 * to it.
 */
class WorkerAotCacheIT {

	private static final Duration LONG = Duration.ofSeconds(120);

	private static final Pattern RECORDED = Pattern.compile("Workers start with the AOT cache (\\S+) \\(");

	@Test
	void workersStartFromTheCacheTheClusterRecordsForEachVersionOfTheJar(@TempDir Path directory) throws Exception {
		Path jar = directory.resolve("app.jar");
		Files.copy(SampleCluster.JAR, jar);
		Path store = directory.resolve("cache");
		List<String> command = new ArrayList<>(List.of(ClusterRun.java(), "-jar", jar.toString(), "--server.port=0",
				"--cluster.workers=2", "--cluster.worker.aot-cache.directory=" + store));
		Path first;
		Path upgraded;
		try (SampleCluster cluster = SampleCluster.start(command, directory)) {
			cluster.awaitReady(2);
			first = Path.of(cluster.awaitOutput(RECORDED, LONG).group(1));
			Path firstFile = first;
			assertThat(first).startsWith(store).isRegularFile();
			long successor = respawn(cluster, 1, 3);
			assertThat(arguments(successor)).contains(useOption(first))
				.containsSubsequence("-jar", first.resolveSibling("app").resolve("app.jar").toString());
			await().atMost(LONG).until(() -> cluster.getOnNewConnection("/whoami").contains("\"pid\":" + successor));

			JarUpgrade.install(jar, "upgraded");
			Processes.signal(cluster.primary().pid(), "HUP");
			await().atMost(LONG).ignoreExceptions().until(() -> greetings(cluster).equals(Set.of("upgraded")));
			upgraded = await().atMost(LONG)
				.until(() -> recorded(cluster.output()).stream().filter((file) -> !file.equals(firstFile)).findFirst(),
						(file) -> file.isPresent())
				.orElseThrow();
			cluster.awaitReady(2);
			long afterUpgrade = respawn(cluster, 4, 6);
			assertThat(arguments(afterUpgrade)).contains(useOption(upgraded));
			await().atMost(LONG).until(() -> cluster.getOnNewConnection("/whoami").contains("\"pid\":" + afterUpgrade));
			assertThat(greetings(cluster)).containsExactly("upgraded");
		}

		Files.write(upgraded, new byte[8192]); // damaged while no JVM maps it
		try (SampleCluster cluster = SampleCluster.start(command, directory)) {
			cluster.awaitReady(2);
			assertThat(arguments(cluster.workerPid(1))).as("found at the start").contains(useOption(upgraded));
			cluster.awaitOutput(Pattern.compile("Workers start without the AOT cache \\S+, since their JVM cannot use it"),
					LONG);
			assertThat(cluster.output()).contains("Removed the AOT cache " + first.getParent() + " of an earlier version");
			long successor = respawn(cluster, 1, 3);
			assertThat(arguments(successor)).noneMatch((argument) -> argument.equals(useOption(upgraded)));
			assertThat(cluster.timesLogged("since their JVM cannot use it")).isOne();
		}
	}

	@Test
	void aTrainingRunEndsWithItsPrimaryEvenOneKilledBySigkill(@TempDir Path directory) throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=1",
				"--cluster.worker.aot-cache.directory=" + directory.resolve("cache"))) {
			cluster.awaitReady(1);
			cluster.awaitOutput(Pattern.compile("Recording the workers' AOT cache"), LONG);
			List<ProcessHandle> training = await().atMost(LONG)
				.until(() -> cluster.primary()
					.descendants()
					.filter((process) -> arguments(process.pid()).contains("-Dspring.context.exit=onRefresh"))
					.toList(), (found) -> !found.isEmpty());
			cluster.primary().destroyForcibly();
			await().atMost(Duration.ofSeconds(8)) // it would run for 10 s more
				.until(() -> training.stream().noneMatch(ProcessHandle::isAlive));
		}
	}

	/** SIGKILLs a worker and returns the pid of its successor once the cluster is ready again. */
	private static long respawn(SampleCluster cluster, int victim, int successor) throws Exception {
		Processes.signal(cluster.workerPid(victim), "KILL");
		long pid = cluster.workerPid(successor);
		cluster.awaitOutput(Pattern.compile("Worker " + successor + " \\(pid " + pid + "\\) is ready"), LONG);
		return pid;
	}

	private static Set<String> greetings(SampleCluster cluster) throws Exception {
		Set<String> greetings = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			greetings.add(SampleCluster.parse(cluster.getOnNewConnection("/greeting")).get("greeting").asString());
		}
		return greetings;
	}

	private static List<Path> recorded(String output) {
		return RECORDED.matcher(output).results().map((match) -> Path.of(match.group(1))).toList();
	}

	/** The option that starts a JVM with the cache: its format follows the file's. */
	private static String useOption(Path file) {
		return (file.toString().endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + file;
	}

	private static List<String> arguments(long pid) {
		return ProcessHandle.of(pid).flatMap((process) -> process.info().arguments()).map(List::of).orElse(List.of());
	}

}
