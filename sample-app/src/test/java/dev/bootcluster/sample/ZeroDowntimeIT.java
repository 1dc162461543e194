package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes to a running cluster under load (connection-per-request and keep-alive clients)
 * that must not fail a single request, and failures the primary must notice.
 */
class ZeroDowntimeIT {

	private static final Duration LONG = Duration.ofSeconds(120);

	@Test
	void aWorkerLeavingOrTheWholeClusterRollingFailsNoRequest() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2")) {
			JsonNode before = cluster.awaitReady(2);
			try (LoadGenerator load = LoadGenerator.start(cluster, "/quotes/1?delayMillis=5")) {
				await().until(() -> load.served() > 100);
				long leaving = before.get("workers").get(0).get("pid").asLong();
				ProcessHandle.of(leaving).orElseThrow().destroy(); // SIGTERM to one worker
				JsonNode afterLeave = await().atMost(LONG).ignoreExceptions().until(cluster::cluster,
						(state) -> exitOf(state, leaving) != null && SampleCluster.readyWorkers(state).size() == 2);
				assertThat(exitOf(afterLeave, leaving).get("cause").asString()).isEqualTo("disconnected");
				assertThat(exitOf(afterLeave, leaving).get("exitedAfterDisconnect").asBoolean()).isTrue();

				Set<Integer> old = ids(afterLeave);
				AtomicInteger leastReady = new AtomicInteger(2);
				Processes.signal(cluster.primary().pid(), "HUP");
				JsonNode rolled = await().atMost(LONG).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
					.until(() -> {
						JsonNode state = cluster.cluster();
						leastReady.accumulateAndGet(SampleCluster.readyWorkers(state).size(), Math::min);
						return state;
					}, (state) -> SampleCluster.readyWorkers(state).size() == 2 && disjoint(ids(state), old));
				assertThat(leastReady.get()).as("ready workers during the roll").isEqualTo(2);
				int servedAtEnd = load.served();
				await().until(() -> load.served() > servedAtEnd + 100);
				assertThat(load.failures()).as("failed requests").isEmpty();
				assertThat(cluster.output()).contains("SIGHUP received: rolling restart", "Rolling restart complete");
				assertThat(rolled.get("exits")).allSatisfy((exit) -> assertThat(exit.get("cause").asString())
					.isEqualTo("disconnected"));
			}
		}
	}

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
	void aStoppedWorkerGetsNoNewConnectionUntilItIsHeardAgain() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=500ms", "--cluster.worker.heartbeat-timeout=60s")) {
			JsonNode stoppedWorker = cluster.awaitReady(2).get("workers").get(1);
			long stopped = stoppedWorker.get("pid").asLong();
			int stoppedId = stoppedWorker.get("id").asInt();
			Processes.signal(stopped, "STOP");
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> cluster.output().contains("has not been heard for"));
				for (int i = 0; i < 10; i++) { // each would hang on the stopped worker
					JsonNode whoami = SampleCluster.parse(cluster.getOnNewConnection("/whoami"));
					assertThat(whoami.get("worker").asInt()).isNotEqualTo(stoppedId);
				}
			}
			finally {
				Processes.signal(stopped, "CONT");
			}
			await().atMost(LONG).until(() -> cluster.output().contains("is heard again"));
			Set<Integer> answered = new HashSet<>();
			await().atMost(LONG).untilAsserted(() -> {
				answered.add(SampleCluster.parse(cluster.getOnNewConnection("/whoami")).get("worker").asInt());
				assertThat(answered).contains(stoppedId);
			});
		}
	}

	@Test
	void workersServingTheirMaxRequestsAreRecycledWithoutAFailedRequest() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=500ms", "--cluster.worker.max-requests=400",
				"--cluster.worker.max-requests-jitter=100")) {
			cluster.awaitReady(2);
			try (LoadGenerator load = LoadGenerator.start(cluster, "/whoami")) {
				JsonNode recycled = await().atMost(LONG).ignoreExceptions().until(cluster::cluster,
						(state) -> state.get("exits").size() >= 2 && SampleCluster.readyWorkers(state).size() == 2);
				assertThat(recycled.get("exits")).allSatisfy((exit) -> {
					assertThat(exit.get("cause").asString()).isEqualTo("recycled");
					assertThat(exit.get("exitedAfterDisconnect").asBoolean()).isTrue();
				});
				assertThat(load.failures()).as("failed requests").isEmpty();
			}
			assertThat(cluster.output()).containsPattern("Recycling worker \\d+ \\(pid \\d+\\) after \\d+ requests");
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

	private static Set<Integer> ids(JsonNode state) {
		Set<Integer> ids = new HashSet<>();
		state.get("workers").forEach((worker) -> ids.add(worker.get("id").asInt()));
		return ids;
	}

	private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
		Set<Integer> both = new HashSet<>(a);
		both.retainAll(b);
		return both.isEmpty();
	}

}
