package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole cluster seen and steered from the primary's management port: one scrape shows
 * every worker's meters beside the primary's, fresh under load, a killed worker's series go with it, a
 * logger level set once holds in every worker and in one forked afterwards, and a
 * worker's thread dump is the worker's own. Over the control channel, the same in every
 * mode and on every JDK, so the build runs this test once, in inherit mode.
 */
class ClusterObservabilityIT {

	private static final Duration LONG = Duration.ofSeconds(60);

	private static final String LOGGER = "/actuator/loggers/dev.bootcluster.sample";

	@Test
	void theManagementPortShowsAndSteersEveryWorker() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--management.server.port=0",
				"--cluster.workers=2", "--cluster.worker.heartbeat-interval=500ms",
				"--management.endpoints.web.exposure.include=health,cluster,prometheus,metrics,loggers")) {
			cluster.managementPort();
			JsonNode ready = cluster.awaitReady(2);
			int first = ready.at("/workers/0/id").asInt();
			int second = ready.at("/workers/1/id").asInt();
			serveUntilBothAnswered(cluster, first, second);
			AtomicBoolean loading = new AtomicBoolean(true);
			CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
				while (loading.get()) {
					try {
						cluster.getOnNewConnection("/whoami");
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
			});
			String scrape = await().atMost(LONG)
				.until(() -> scrape(cluster), (text) -> whoamiCount(text, first) > 0 && whoamiCount(text, second) > 0);
			double served = whoamiCount(scrape, first) + whoamiCount(scrape, second);
			await().atMost(LONG).untilAsserted(() -> assertThat(whoamiCount(scrape(cluster), first)
					+ whoamiCount(scrape(cluster), second)).as("fresh under load").isGreaterThan(served));
			loading.set(false);
			assertThat(load).succeedsWithin(LONG);
			assertThat(scrape).as("the primary's own meters, tagged as its")
				.containsPattern("process_uptime_seconds\\{worker=\"primary\"\\} ")
				.as("the cluster's own meters keep their tags")
				.containsPattern("cluster_workers\\{state=\"ready\"\\} 2");
			assertThat(scrape).as("each worker's JVM meters").containsPattern("jvm_threads_live_threads\\{.*worker=\"" + first + "\"")
				.containsPattern("jvm_threads_live_threads\\{.*worker=\"" + second + "\"");
			JsonNode requests = SampleCluster
				.parse(SampleCluster.ok(cluster.actuator("GET", "/actuator/metrics/http.server.requests", null)));
			assertThat(tagValues(requests, "worker")).contains(Integer.toString(first), Integer.toString(second));

			HttpResponse<String> set = cluster.actuator("POST", LOGGER, "{\"configuredLevel\":\"DEBUG\"}");
			assertThat(set.statusCode()).isEqualTo(204);
			JsonNode levels = SampleCluster.parse(SampleCluster.ok(cluster.actuator("GET", LOGGER, null)));
			assertThat(levels.get("configuredLevel").asString()).isEqualTo("DEBUG");
			assertThat(levels.at("/workers/" + first + "/configuredLevel").asString()).isEqualTo("DEBUG");
			assertThat(levels.at("/workers/" + second + "/effectiveLevel").asString()).isEqualTo("DEBUG");

			HttpResponse<String> dump = cluster.actuator("GET", "/actuator/cluster/" + second + "/threaddump", null);
			assertThat(dump.statusCode()).isEqualTo(200);
			assertThat(dump.body()).contains("Full thread dump").contains("\"cluster-heartbeat\"");
			assertThat(cluster.actuator("GET", "/actuator/cluster/999/threaddump", null).statusCode()).isEqualTo(404);

			long victim = ready.at("/workers/0/pid").asLong();
			ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
			JsonNode replaced = await().atMost(LONG).ignoreExceptions().until(cluster::cluster,
					(state) -> SampleCluster.readyWorkers(state).size() == 2
							&& !ids(state).contains(first));
			assertThat(scrape(cluster)).as("the killed worker's series are gone")
				.doesNotContainPattern("worker=\"" + first + "\"");
			int third = ids(replaced).stream().filter((id) -> id != second).findFirst().orElseThrow();
			JsonNode afterwards = SampleCluster.parse(SampleCluster.ok(cluster.actuator("GET", LOGGER, null)));
			assertThat(afterwards.at("/workers/" + third + "/configuredLevel").asString())
				.as("a worker forked after the level was set starts with it")
				.isEqualTo("DEBUG");
		}
	}

	private static void serveUntilBothAnswered(SampleCluster cluster, int first, int second) {
		Set<Integer> answered = new HashSet<>();
		Pattern worker = Pattern.compile("\"worker\":(\\d+)");
		await().atMost(LONG).until(() -> {
			Matcher matcher = worker.matcher(cluster.getOnNewConnection("/whoami"));
			if (matcher.find()) {
				answered.add(Integer.parseInt(matcher.group(1)));
			}
			return answered.containsAll(List.of(first, second));
		});
	}

	private static String scrape(SampleCluster cluster) throws IOException, InterruptedException {
		return SampleCluster.ok(cluster.actuator("GET", "/actuator/prometheus", null));
	}

	private static double whoamiCount(String scrape, int worker) {
		Matcher matcher = Pattern
			.compile("http_server_requests_seconds_count\\{[^}]*uri=\"/whoami\"[^}]*worker=\"" + worker + "\"[^}]*\\} (\\S+)")
			.matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private static Set<String> tagValues(JsonNode metric, String tag) {
		Set<String> values = new HashSet<>();
		metric.get("availableTags").forEach((available) -> {
			if (available.get("tag").asString().equals(tag)) {
				available.get("values").forEach((value) -> values.add(value.asString()));
			}
		});
		return values;
	}

	private static List<Integer> ids(JsonNode cluster) {
		return SampleCluster.readyWorkers(cluster).stream().map((worker) -> worker.get("id").asInt()).toList();
	}

}
