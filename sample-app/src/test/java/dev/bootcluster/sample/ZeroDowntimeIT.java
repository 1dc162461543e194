package dev.bootcluster.sample;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes to a running cluster under load (connection-per-request and keep-alive clients)
 * that must not fail a single request, and a stopped worker that must get no connection:
 * how connections reach workers, so in every mode and on every JDK. The supervision that
 * is the same everywhere is {@link WorkerSupervisionIT}'s.
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
