package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One clustered sample app with two workers on an ephemeral port, used as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

	private SampleCluster cluster;

	@BeforeAll
	void start() throws Exception {
		this.cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2");
		this.cluster.awaitReady(2);
	}

	@AfterAll
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	@Order(1)
	void everyWorkerAnswersOnTheOneSharedPort() throws Exception {
		JsonNode state = this.cluster.cluster();
		Set<Integer> workerIds = new HashSet<>();
		state.get("workers").forEach((worker) -> workerIds.add(worker.get("id").asInt()));
		assertThat(workerIds).containsExactlyInAnyOrder(1, 2);
		Set<Integer> seen = new HashSet<>();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode whoami = SampleCluster.parse(this.cluster.getOnNewConnection("/whoami"));
			assertThat(whoami.get("pid").asLong()).isNotEqualTo(this.cluster.primary().pid());
			seen.add(whoami.get("worker").asInt());
			assertThat(seen).isEqualTo(workerIds);
		});
	}

	@Test
	@Order(2)
	void actuatorShowsThePrimaryAndEveryWorker() throws Exception {
		JsonNode state = this.cluster.cluster();
		assertThat(state.get("role").asString()).isEqualTo("WORKER");
		assertThat(state.get("mode").asString()).isEqualTo(SampleCluster.MODE);
		assertThat(state.get("port").asInt()).isEqualTo(this.cluster.port());
		assertThat(state.get("primary").get("pid").asLong()).isEqualTo(this.cluster.primary().pid());
		assertThat(state.get("primary").get("uptime").asString()).startsWith("PT");
		assertThat(state.get("workers")).hasSize(2).allSatisfy((worker) -> {
			assertThat(worker.get("state").asString()).isEqualTo("READY");
			assertThat(worker.get("pid").asLong()).isPositive();
			assertThat(worker.get("startedAt").asString()).isNotEmpty();
			assertThat(worker.get("restarts").asInt()).isZero();
		});
		assertThat(state.get("exits")).isEmpty();
		assertThat(this.cluster.get("/actuator/health/cluster")).contains("\"status\":\"UP\"");
	}

	@Test
	@Order(2)
	void serverPortZeroGivesEveryRoleTheOneRealPort() {
		String line = "local.server.port is " + this.cluster.port();
		List<String> reported = this.cluster.output()
			.lines()
			.filter((entry) -> entry.contains("local.server.port is"))
			.toList();
		assertThat(reported).hasSize(3).anySatisfy((entry) -> assertThat(entry).contains("[primary]").endsWith(line));
		// in relay mode each worker listens on a Unix domain socket and reports the port the
		// primary relays from, as a worker in inherit mode reports the port it accepts on
		assertThat(reported).allSatisfy((entry) -> assertThat(entry).endsWith(line));
		if (SampleCluster.MODE.equals("relay")) {
			assertThat(this.cluster.output()).contains("to workers over Unix domain sockets)");
		}
	}

	@Test
	@Order(3)
	void logLinesCarryTheRoleAndThePrimaryStaysLean() throws Exception {
		this.cluster.getOnNewConnection("/quotes/1");
		this.cluster.getOnNewConnection("/quotes/2");
		String output = this.cluster.output();
		assertThat(output).contains("[primary]").contains("[worker-1]").contains("[worker-2]");
		assertThat(output).doesNotContain("Quote catalog loaded in pid " + this.cluster.primary().pid() + "\n");
		assertThat(output.lines().filter((line) -> line.contains("Quote catalog loaded"))).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).contains("[worker-"));
	}

	@Test
	@Order(4)
	void aLocalPeerThatMisbehavesOnTheControlChannelIsDroppedWhileTheClusterServes() throws Exception {
		long workerPid = this.cluster.workerPids().iterator().next();
		Path control = Path.of(environment(workerPid, "CLUSTER_CONTROL_SOCKET"));
		String token = environment(workerPid, "CLUSTER_CONTROL_TOKEN");
		assertDropped(control, frame("{\"type\":\"hello\",\"workerId\":1,\"token\":\"not-" + token + "\",\"pid\":1}"));
		assertDropped(control, frame("{\"type\":\"hello\",\"workerId\":"));
		assertDropped(control, frame("{\"type\":\"teleport\"}"));
		ByteBuffer oversized = ByteBuffer.allocate(4).putInt(64 << 20).flip();
		assertDropped(control, oversized);
		JsonNode state = this.cluster.cluster();
		assertThat(SampleCluster.readyWorkers(state)).hasSize(2);
		assertThat(state.get("exits")).isEmpty();
		assertThat(this.cluster.getOnNewConnection("/whoami")).contains("\"worker\"");
	}

	@Test
	@Order(5)
	void aWorkerKilledUnderLoadIsReplacedWithANewIdAndNoConnectionIsRefused() throws Exception {
		JsonNode before = this.cluster.cluster();
		long victim = before.get("workers").get(0).get("pid").asLong();
		int victimId = before.get("workers").get(0).get("id").asInt();
		AtomicBoolean loading = new AtomicBoolean(true);
		AtomicInteger served = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger broken = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		List<Future<?>> load = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			load.add(clients.submit(() -> {
				while (loading.get()) {
					try {
						this.cluster.getOnNewConnection("/whoami");
						served.incrementAndGet();
					}
					catch (ConnectException ex) {
						refused.incrementAndGet();
					}
					catch (IOException ex) {
						broken.incrementAndGet(); // a request in flight on the killed worker
					}
				}
				return null;
			}));
		}
		try {
			await().until(() -> served.get() > 200);
			ProcessHandle.of(victim).orElseThrow().destroyForcibly();
			JsonNode after = await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(this.cluster::cluster,
					(state) -> SampleCluster.readyWorkers(state).size() == 2 && exitOf(state, victim) != null);
			JsonNode exit = exitOf(after, victim);
			assertThat(exit.get("id").asInt()).isEqualTo(victimId);
			assertThat(exit.get("signal").asString()).isEqualTo("SIGKILL");
			assertThat(exit.get("code").isNull()).isTrue();
			assertThat(exit.get("cause").asString()).isEqualTo("crashed");
			assertThat(exit.get("exitedAfterDisconnect").asBoolean()).isFalse();
			Set<Integer> ids = new HashSet<>();
			after.get("workers").forEach((worker) -> ids.add(worker.get("id").asInt()));
			assertThat(ids).doesNotContain(victimId).contains(3);
			int servedAtReplacement = served.get();
			await().until(() -> served.get() > servedAtReplacement + 200);
		}
		finally {
			loading.set(false);
			clients.shutdown();
		}
		for (Future<?> client : load) {
			client.get();
		}
		assertThat(refused.get()).as("refused connections").isZero();
		assertThat(broken.get()).as("requests cut by the kill").isLessThan(10);
		assertThat(this.cluster.output()).containsPattern(
				"WARN \\[primary\\].*Worker " + victimId + " crashed \\(1 crash\\(es\\) so far\\).*signal SIGKILL");
	}

	private static JsonNode exitOf(JsonNode state, long pid) {
		return StreamSupport.stream(state.get("exits").spliterator(), false)
			.filter((exit) -> exit.get("pid").asLong() == pid)
			.findFirst()
			.orElse(null);
	}

	private static String environment(long pid, String name) throws IOException {
		String[] variables = Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0");
		for (String variable : variables) {
			if (variable.startsWith(name + "=")) {
				return variable.substring(name.length() + 1);
			}
		}
		throw new IllegalStateException(name + " not in the environment of " + pid);
	}

	private static ByteBuffer frame(String json) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
	}

	/**
	 * Sends the bytes and expects the primary to close the connection.
	 */
	private static void assertDropped(Path control, ByteBuffer bytes) throws Exception {
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(control))) {
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			InputStream in = Channels.newInputStream(channel);
			CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
				try {
					return in.read();
				}
				catch (IOException ex) {
					return -1; // reset: dropped all the same
				}
			});
			assertThat(read.get(20, TimeUnit.SECONDS)).as("the primary closed the connection").isEqualTo(-1);
		}
	}

}
