package dev.bootcluster.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.RawResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The sample jar run as a user runs it ({@code java -jar}), as a {@link ClusterRun}, with
 * what the sample's tests ask of it: the cluster's state from {@code /actuator/cluster},
 * actuator requests to the management port, and requests held in flight.
 */
final class SampleCluster implements AutoCloseable {

	static final Path JAR = Path.of("target", "sample-app.jar").toAbsolutePath();

	/**
	 * The mode every cluster of this run uses ({@code cluster.mode}): the build runs the
	 * suite once in each.
	 */
	static final String MODE = System.getProperty("cluster.it.mode", "inherit");

	/**
	 * Where every cluster of this run keeps the workers' AOT cache, unless its test chooses:
	 * recorded once, before the first cluster, so that every cluster starts its workers with
	 * it, as a cluster launched again does.
	 */
	private static final Path AOT_CACHE = Path.of("target", "aot-cache").toAbsolutePath();

	private static final String AOT_CACHE_PROPERTY = "--cluster.worker.aot-cache.";

	private static boolean aotCacheRecorded;

	private static final Path LOGS = Path.of("target", "cluster-it");

	private static final String WORKER_PORT = "\\[worker-%d\\].*local\\.server\\.port is (\\d+)";

	private static final AtomicInteger runs = new AtomicInteger();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ClusterRun run;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private SampleCluster(ClusterRun run) {
		this.run = run;
	}

	static SampleCluster start(String... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(ClusterRun.java());
		command.add("-jar");
		command.add(JAR.toString());
		command.addAll(List.of(arguments));
		return start(command, JAR.getParent());
	}

	static SampleCluster start(List<String> command, Path directory) throws IOException {
		String run = ProcessHandle.current().pid() + "-" + runs.incrementAndGet();
		Path log = LOGS.resolve("cluster-" + run + ".log");
		List<String> arguments = new ArrayList<>(command);
		// a database of its own, so no run waits on the lock file of one killed before
		arguments.add("--sample.data-dir=" + LOGS.toAbsolutePath().resolve("data-" + run));
		if (arguments.stream().noneMatch((argument) -> argument.startsWith("--cluster.mode="))) {
			arguments.add("--cluster.mode=" + MODE);
		}
		if (arguments.stream().noneMatch((argument) -> argument.startsWith(AOT_CACHE_PROPERTY))) {
			recordAotCache();
			arguments.add(AOT_CACHE_PROPERTY + "directory=" + AOT_CACHE);
		}
		return new SampleCluster(ClusterRun.start(arguments, directory, log));
	}

	/** Records the workers' AOT cache for the sample jar with a cluster of its own, once. */
	private static synchronized void recordAotCache() throws IOException {
		if (aotCacheRecorded) {
			return;
		}
		aotCacheRecorded = true;
		try (SampleCluster cluster = start("--server.port=0", "--cluster.workers=1",
				AOT_CACHE_PROPERTY + "directory=" + AOT_CACHE)) {
			cluster.awaitOutput(Pattern.compile("Workers start with the AOT cache|Workers start without"),
					Duration.ofSeconds(180));
		}
	}

	Process primary() {
		return this.run.primary();
	}

	String output() {
		return this.run.output();
	}

	int timesLogged(String text) {
		return this.run.timesLogged(text);
	}

	/**
	 * Waits for the primary to bind and returns the shared port it logged.
	 */
	int port() {
		return this.run.port();
	}

	/**
	 * Waits for the primary to bind and returns the shared ports of the additional
	 * connectors it logged.
	 */
	List<Integer> additionalPorts() {
		return this.run.additionalPorts();
	}

	/**
	 * Waits for the primary's management server and returns the port it logged; from then
	 * on actuator requests go there.
	 */
	int managementPort() {
		return this.run.managementPort();
	}

	/**
	 * The port a worker serves on, as it logged it: the shared port in inherit mode and in
	 * relay mode over Unix domain sockets, its own loopback port, to which the primary
	 * relays, with {@code cluster.relay.transport=tcp}.
	 */
	int workerPort(int id) {
		return Integer
			.parseInt(this.run.awaitOutput(Pattern.compile(WORKER_PORT.formatted(id)), Duration.ofSeconds(60)).group(1));
	}

	private int actuatorPort() {
		return this.run.hasManagementPort() ? this.run.managementPort() : port();
	}

	/**
	 * Waits until {@code count} workers are READY and returns the cluster's state.
	 */
	JsonNode awaitReady(int count) throws IOException, InterruptedException {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
			JsonNode cluster = cluster();
			return readyWorkers(cluster).size() == count && cluster.get("workers").size() == count;
		});
		return cluster();
	}

	static List<JsonNode> readyWorkers(JsonNode cluster) {
		return StreamSupport.stream(cluster.get("workers").spliterator(), false)
			.filter((worker) -> worker.get("state").asString().equals("READY"))
			.toList();
	}

	/**
	 * {@code GET /actuator/cluster}, remembering every worker pid seen so that
	 * {@link #close()} can end them.
	 */
	JsonNode cluster() throws IOException, InterruptedException {
		JsonNode cluster = json.readTree(ok(actuator("GET", "/actuator/cluster", null)));
		cluster.get("workers").forEach((worker) -> this.run.remember(worker.get("pid").asLong()));
		return cluster;
	}

	String get(String path) throws IOException, InterruptedException {
		return ok(this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
			.header("Connection", "close")
			.build(), HttpResponse.BodyHandlers.ofString()));
	}

	/**
	 * A request to the primary's management port, or to the shared port without one.
	 * @param body a JSON body, or {@code null}
	 * @return the response, whatever its status
	 */
	HttpResponse<String> actuator(String method, String path, @Nullable String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + actuatorPort() + path))
			.timeout(Duration.ofSeconds(30))
			// no idle connection left behind: in relay mode it would count as a worker's load
			.header("Connection", "close")
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A {@code GET} to any port of this host, whatever the answer's status.
	 */
	HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.header("Connection", "close")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String ok(HttpResponse<String> response) throws IOException {
		if (response.statusCode() != 200) {
			throw new IOException(response.request().method() + " " + response.uri() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	static JsonNode parse(String body) {
		return json.readTree(body);
	}

	/**
	 * Starts a request that a worker answers only after the given time, and returns once
	 * the worker has it in flight.
	 * @return the answer, or "cut: ..." if the connection ended first
	 */
	CompletableFuture<String> slowRequestInFlight(Duration delay) {
		long millis = delay.toMillis();
		CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
			try {
				return getOnNewConnection("/quotes/1?delayMillis=" + millis);
			}
			catch (IOException ex) {
				return "cut: " + ex.getMessage();
			}
		});
		await().atMost(Duration.ofSeconds(20))
			.until(() -> output().contains("Answering quote 1 slowly, in " + millis + " ms"));
		return slow;
	}

	/**
	 * One request on a connection of its own ({@code Connection: close}), as wrk sends them.
	 * @return the response body
	 * @throws java.net.ConnectException if the connection is refused
	 */
	String getOnNewConnection(String path) throws IOException {
		RawResponse response = this.run.get(path);
		if (response.status() != 200) {
			throw new IOException("Unexpected response: " + response.head() + "\r\n\r\n" + response.body());
		}
		return response.body();
	}

	Matcher awaitOutput(Pattern pattern, Duration timeout) {
		return this.run.awaitOutput(pattern, timeout);
	}

	long workerPid(int id) {
		return this.run.workerPid(id);
	}

	Collection<Long> workerPids() {
		return this.run.workerPids();
	}

	@Override
	public void close() {
		this.run.close();
	}

}
