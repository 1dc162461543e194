package dev.bootcluster.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary that hangs: its workers, which no longer hear its heartbeats, say so in
 * their health, where a liveness probe that reaches them sees it.
 */
class PrimaryHangIT {

	private static final Duration LONG = Duration.ofSeconds(120);

	/**
	 * The worker is asked on the port it serves on: in inherit mode the shared port, on
	 * which it accepts by itself while the primary is stopped; in relay mode its own
	 * loopback port (over TCP, which an HTTP client can reach), since the stopped primary
	 * relays nothing. The sample's {@code db}
	 * health is off: its H2 database is served by the primary, so that check would hang
	 * with it.
	 */
	@Test
	void aWorkerOfAStoppedPrimaryReportsHealthDownUntilThePrimaryIsContinued() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=1",
				"--cluster.worker.heartbeat-interval=200ms", "--cluster.worker.heartbeat-timeout=1s",
				"--management.health.db.enabled=false", "--cluster.relay.transport=tcp")) {
			int id = cluster.awaitReady(1).get("workers").get(0).get("id").asInt();
			int port = cluster.workerPort(id);
			assertThat(cluster.get(port, "/actuator/health").statusCode()).isEqualTo(200);
			long primary = cluster.primary().pid();
			Processes.signal(primary, "STOP");
			try {
				HttpResponse<String> down = await().atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(200))
					.ignoreExceptions()
					.until(() -> cluster.get(port, "/actuator/health"), (response) -> response.statusCode() == 503);
				JsonNode cluster503 = SampleCluster.parse(down.body()).at("/components/cluster");
				assertThat(cluster503.get("status").asString()).isEqualTo("DOWN");
				assertThat(cluster503.at("/details/primary").asString()).startsWith("not heard for")
					.endsWith("longer than cluster.worker.heartbeat-timeout: hung or stopped");
				assertThat(cluster.output()).containsPattern("\\[worker-" + id
						+ "\\].*The primary has not been heard for \\d+ ms \\(cluster.worker.heartbeat-timeout is 1000 ms\\)");
			}
			finally {
				Processes.signal(primary, "CONT");
			}
			// Continued, the primary knows it was the one not running: the worker keeps its place
			Pattern heardAgain = Pattern.compile("\\[worker-" + id + "\\].*The primary is heard again");
			await().atMost(Duration.ofSeconds(10)).until(() -> heardAgain.matcher(cluster.output()).find());
			assertThat(cluster.output()).containsPattern("The primary did not run for \\d+ ms")
				.doesNotContainPattern("heartbeat-timeout \\(.*\\); killing it");
			await().atMost(LONG).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
				.until(() -> cluster.get(cluster.port(), "/actuator/health").statusCode() == 200);
			JsonNode state = cluster.cluster();
			assertThat(state.at("/workers/0/id").asInt()).as("the same worker").isEqualTo(id);
			assertThat(state.get("exits")).isEmpty();
		}
	}

}
