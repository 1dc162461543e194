package dev.bootcluster.sample;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations surface of the sample jar, used as an operator and a user would: the
 * primary's management port, health and readiness as workers die and come back,
 * Prometheus, actuator writes, messages between real processes, and sessions that
 * outlive their worker. All of it goes through the primary's management port or its
 * control channel, the same in every mode and on every JDK, so the build runs this test
 * once, in inherit mode.
 */
class OperationsIT {

	@Test
	void thePrimaryServesActuatorOnTheManagementPortAndHealthFollowsTheWorkers() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--spring.profiles.active=ops",
				"--management.server.port=0", "--cluster.workers=2", "--cluster.min-ready=2")) {
			cluster.managementPort();
			cluster.awaitReady(2);
			assertThat(cluster.actuator("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
			HttpResponse<String> onSharedPort = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port() + "/actuator/health"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(onSharedPort.statusCode()).as("workers have no management port").isEqualTo(404);

			HttpClient user = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
			JsonNode login = SampleCluster.parse(SampleCluster.ok(user.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port() + "/login?name=alice"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(),
					HttpResponse.BodyHandlers.ofString())));
			int creator = login.get("worker").asInt();
			long creatorPid = StreamSupport.stream(cluster.cluster().get("workers").spliterator(), false)
				.filter((worker) -> worker.get("id").asInt() == creator)
				.findFirst()
				.orElseThrow()
				.get("pid")
				.asLong();

			List<Integer> healthStatuses = new CopyOnWriteArrayList<>();
			ProcessHandle.of(creatorPid).orElseThrow().destroyForcibly(); // SIGKILL
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				healthStatuses.add(cluster.actuator("GET", "/actuator/health", null).statusCode());
				assertThat(cluster.actuator("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(503);
			});
			JsonNode down = SampleCluster.parse(cluster.actuator("GET", "/actuator/health", null).body());
			assertThat(down.at("/components/cluster/status").asString()).isEqualTo("DOWN");
			assertThat(down.at("/components/cluster/details/minReady").asInt()).isEqualTo(2);

			JsonNode me = SampleCluster.parse(SampleCluster.ok(user.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port() + "/me")).build(),
					HttpResponse.BodyHandlers.ofString())));
			assertThat(me.get("user").asString()).as("the session outlived its worker").isEqualTo("alice");
			assertThat(me.get("worker").asInt()).isNotEqualTo(creator);

			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
					cluster.actuator("GET", "/actuator/health/readiness", null).statusCode())
				.isEqualTo(200));
			assertThat(cluster.actuator("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
			assertThat(healthStatuses).contains(503);

			HttpResponse<String> tooMany = cluster.actuator("POST", "/actuator/cluster",
					"{\"workers\": 2147483647}");
			assertThat(tooMany.statusCode()).isEqualTo(400);
			assertThat(tooMany.body()).contains("cluster.max-workers is ");
			assertThat(cluster.actuator("GET", "/actuator/health", null).statusCode()).as("still healthy")
				.isEqualTo(200);
			assertThat(cluster.cluster().get("workers")).hasSize(2);

			String prometheus = SampleCluster.ok(cluster.actuator("GET", "/actuator/prometheus", null));
			assertThat(prometheus).contains("cluster_workers{state=\"ready\"} 2.0")
				.contains("cluster_worker_exits_total{cause=\"crashed\"} 1.0")
				.contains("cluster_worker_restarts_total 1.0")
				.contains("cluster_worker_requests_total{worker=\"3\"}")
				.contains("cluster_worker_heap_used_bytes{worker=\"3\"}")
				.doesNotContain("worker=\"" + creator + "\"");
		}
	}

	@Test
	void aNoticePostedToOneWorkerReachesEveryWorkerThroughThePrimary() throws Exception {
		// scaling through the public port: for this test only, never in the sample's own configuration
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--management.endpoint.cluster.access=unrestricted")) {
			cluster.awaitReady(2);
			SampleCluster.ok(HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + cluster.port() + "/notices?text=maintenance+at+noon"))
					// an idle keep-alive connection counts as load to the relay: it would send
					// every later connection to the other worker
					.header("Connection", "close")
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString()));
			Set<Integer> shown = new HashSet<>();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode board = SampleCluster.parse(cluster.getOnNewConnection("/notices"));
				assertThat(board.at("/notices/0/text").asString()).isEqualTo("maintenance at noon");
				shown.add(board.get("worker").asInt());
				assertThat(shown).containsExactlyInAnyOrder(1, 2);
			});
			// a worker that starts later gets the notices so far from the primary
			SampleCluster.ok(cluster.actuator("POST", "/actuator/cluster", "{\"workers\": 3}"));
			cluster.awaitReady(3);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode board = SampleCluster.parse(cluster.getOnNewConnection("/notices"));
				assertThat(board.get("worker").asInt()).isEqualTo(3);
				assertThat(board.at("/notices/0/text").asString()).isEqualTo("maintenance at noon");
			});
		}
	}

	@Test
	void writesOnTheSharedPortScaleReplaceAndRollThroughThePrimary() throws Exception {
		// writes on the public port: for this test only, as above
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--management.endpoint.cluster.access=unrestricted")) {
			cluster.awaitReady(2);
			JsonNode scaled = SampleCluster
				.parse(SampleCluster.ok(cluster.actuator("POST", "/actuator/cluster", "{\"workers\": 3}")));
			assertThat(scaled.get("role").asString()).isEqualTo("WORKER");
			assertThat(ids(scaled)).containsExactly(1, 2, 3);
			cluster.awaitReady(3);

			JsonNode replacing = SampleCluster.parse(SampleCluster.ok(cluster.actuator("DELETE", "/actuator/cluster/1", null)));
			assertThat(ids(replacing)).containsExactly(1, 2, 3, 4);
			await().atMost(Duration.ofSeconds(60)).until(() -> ids(cluster.awaitReady(3)).equals(List.of(2, 3, 4)));

			HttpResponse<String> missing = cluster.actuator("DELETE", "/actuator/cluster/99", null);
			assertThat(missing.statusCode()).isEqualTo(404);
			assertThat(missing.body()).contains("No worker 99 is running");
			HttpResponse<String> tooFew = cluster.actuator("POST", "/actuator/cluster", "{\"workers\": 0}");
			assertThat(tooFew.statusCode()).isEqualTo(400);
			assertThat(tooFew.body()).contains("cluster.min-ready is 1");
			HttpResponse<String> tooMany = cluster.actuator("POST", "/actuator/cluster", "{\"workers\": 2147483647}");
			assertThat(tooMany.statusCode()).as("asked through a worker").isEqualTo(400);
			assertThat(tooMany.body()).contains("cluster.max-workers is ");
			HttpResponse<String> unknown = cluster.actuator("POST", "/actuator/cluster", "{\"action\": \"reboot\"}");
			assertThat(unknown.statusCode()).isEqualTo(400);
			assertThat(unknown.body()).contains("the only action is \\\"restart\\\"");

			SampleCluster.ok(cluster.actuator("POST", "/actuator/cluster", "{\"action\": \"restart\"}"));
			await().atMost(Duration.ofSeconds(120))
				.until(() -> ids(cluster.awaitReady(3)).stream().allMatch((id) -> id > 4));
		}
	}

	@Test
	void withNoWorkerAliveTheManagementPortStillTellsTheWholeState() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--management.server.port=0",
				"--cluster.workers=1", "--cluster.worker.jvm-args=-XX:+NoSuchOption", "--cluster.restart.max-restarts=2",
				"--management.endpoint.cluster.access=read-only")) {
			cluster.managementPort();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> cluster.cluster().at("/workers/0/state").asString().equals("ERRORED"));
			JsonNode state = cluster.cluster();
			assertThat(state.get("role").asString()).isEqualTo("PRIMARY");
			assertThat(state.get("exits")).as("the first worker and max-restarts (2) respawns").hasSize(3);
			HttpResponse<String> health = cluster.actuator("GET", "/actuator/health", null);
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(SampleCluster.parse(health.body()).at("/components/cluster/details/errored").asInt()).isEqualTo(1);
			assertThat(cluster.actuator("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(503);
			assertThat(cluster.actuator("POST", "/actuator/cluster", "{\"workers\": 2}").statusCode())
				.as("writes are off with read-only access")
				.isEqualTo(405);
		}
	}

	private static List<Integer> ids(JsonNode cluster) {
		return StreamSupport.stream(cluster.get("workers").spliterator(), false)
			.map((worker) -> worker.get("id").asInt())
			.toList();
	}

}
