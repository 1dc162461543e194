package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the primary's supervision does to a running cluster: a jar replaced on disk is
 * what the rolled workers run, with no failed request; a stopped worker is replaced for
 * its silence; a worker that cannot start is respawned until its slot is ERRORED. The
 * same in every mode and on every JDK (launching, heartbeats, backoff; how connections
 * reach workers is {@link ZeroDowntimeIT}'s), so the build runs this test once, in
 * inherit mode.
 */
class WorkerSupervisionIT {

	private static final Duration LONG = Duration.ofSeconds(120);

	@Test
	void aJarReplacedOnDiskIsWhatTheRolledWorkersRun(@TempDir Path directory) throws Exception {
		Path jar = directory.resolve("app.jar");
		Files.copy(SampleCluster.JAR, jar);
		List<String> command = new ArrayList<>(List.of(ClusterRun.java(), "-jar", jar.toString(),
				"--server.port=0", "--cluster.workers=2"));
		try (SampleCluster cluster = SampleCluster.start(command, directory)) {
			cluster.awaitReady(2);
			assertThat(cluster.get("/greeting")).contains("\"hello\"");
			try (LoadGenerator load = LoadGenerator.start(cluster, "/greeting")) {
				await().until(() -> load.served() > 100);
				JarUpgrade.install(jar, "upgraded");
				Processes.signal(cluster.primary().pid(), "HUP");
				await().atMost(LONG).ignoreExceptions().until(() -> {
					Set<String> greetings = new HashSet<>();
					for (int i = 0; i < 20; i++) {
						greetings.add(cluster.getOnNewConnection("/greeting"));
					}
					return greetings.equals(Set.of("{\"greeting\":\"upgraded\"}"));
				});
				int servedAtEnd = load.served();
				await().until(() -> load.served() > servedAtEnd + 100);
				assertThat(load.failures()).as("failed requests").isEmpty();
			}
		}
	}

	@Test
	void aStoppedWorkerIsReplacedForItsSilence() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=500ms", "--cluster.worker.heartbeat-timeout=3s")) {
			JsonNode before = cluster.awaitReady(2);
			long stopped = before.get("workers").get(1).get("pid").asLong();
			Processes.signal(stopped, "STOP");
			JsonNode after = await().atMost(LONG).ignoreExceptions().until(cluster::cluster,
					(state) -> exitOf(state, stopped) != null && SampleCluster.readyWorkers(state).size() == 2);
			JsonNode exit = exitOf(after, stopped);
			assertThat(exit.get("cause").asString()).isEqualTo("heartbeat-timeout");
			assertThat(exit.get("signal").asString()).isEqualTo("SIGKILL");
			assertThat(exit.get("exitedAfterDisconnect").asBoolean()).isFalse();
			assertThat(cluster.output()).containsPattern("heartbeat-timeout \\(unheard for \\d+ ms\\); killing it");
		}
	}

	@Test
	void aWorkerThatCannotStartGetsMaxRestartsRespawnsUntilItsSlotIsErroredAndThePrimaryStaysUp() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=1",
				"--cluster.worker.jvm-args=-XX:+NoSuchOption", "--cluster.restart.max-restarts=3",
				"--cluster.restart.backoff-initial=200ms")) {
			cluster.port();
			await().atMost(LONG).until(() -> cluster.output().contains("is in a crash loop"));
			String output = cluster.output();
			assertThat(output).containsPattern("Worker slot 1 is in a crash loop \\(4 failures in a row");
			assertThat(output.lines().filter((line) -> line.contains("Forked worker"))).as("the first and 3 respawns")
				.hasSize(4);
			assertThat(output).contains("Worker 4 crashed (4 crash(es) so far)");
			assertThat(cluster.primary().isAlive()).isTrue();
		}
	}

	private static JsonNode exitOf(JsonNode state, long pid) {
		for (JsonNode exit : state.get("exits")) {
			if (exit.get("pid").asLong() == pid) {
				return exit;
			}
		}
		return null;
	}

}
