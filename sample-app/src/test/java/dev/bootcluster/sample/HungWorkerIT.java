package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose request threads are all stuck, though its own heartbeat thread still
 * runs: the primary sees its request threads take no new task, asks it for a thread dump
 * and replaces it ({@code cluster.worker.hang-timeout}). The check runs in the worker, the
 * same in every mode and on every JDK, so the build runs this test once, in inherit mode.
 */
class HungWorkerIT {

	private static final Duration LONG = Duration.ofSeconds(60);

	@Test
	void aWorkerWhoseRequestThreadsAreAllStuckIsReplacedAndItsThreadDumpShowsWhere() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--management.server.port=0",
				"--cluster.workers=1", "--server.tomcat.threads.max=2", "--server.tomcat.threads.min-spare=1",
				"--cluster.worker.heartbeat-interval=500ms", "--cluster.worker.hang-timeout=3s")) {
			cluster.managementPort();
			int stuck = cluster.awaitReady(1).at("/workers/0/id").asInt();
			// both request threads sleep for 30 s in the quote controller
			List<CompletableFuture<String>> held = IntStream.range(0, 2)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> {
					try {
						return cluster.getOnNewConnection("/quotes/1?delayMillis=30000");
					}
					catch (IOException ex) {
						return "cut: " + ex.getMessage();
					}
				}))
				.toList();
			JsonNode exit = await().atMost(LONG)
				.ignoreExceptions()
				.until(() -> cluster.cluster().get("exits"), (exits) -> !exits.isEmpty())
				.get(0);
			assertThat(exit.get("id").asInt()).isEqualTo(stuck);
			assertThat(exit.get("cause").asString()).isEqualTo("hang-timeout");
			assertThat(cluster.output()).containsPattern("worker " + stuck + " \\(pid \\d+, READY\\): hang-timeout "
					+ "\\(its request threads took no new task for \\d+ ms\\); killing it")
				.containsPattern("Asked worker " + stuck + " \\(pid \\d+.*for a thread dump");
			await().atMost(LONG)
				.untilAsserted(() -> assertThat(cluster.output()).as("where the request threads were stuck")
					.contains("Full thread dump")
					.contains("at dev.bootcluster.sample.QuoteController.quote("));
			assertThat(held).allSatisfy((request) -> assertThat(request).succeedsWithin(LONG)
				.asString()
				.as("cut with the worker, long before the 30 s")
				.startsWith("cut: "));
			JsonNode replaced = cluster.awaitReady(1);
			assertThat(replaced.at("/workers/0/id").asInt()).isNotEqualTo(stuck);
			int replacement = replaced.at("/workers/0/id").asInt();
			assertThat(cluster.getOnNewConnection("/whoami")).contains("\"worker\":" + replacement);
		}
	}

}
