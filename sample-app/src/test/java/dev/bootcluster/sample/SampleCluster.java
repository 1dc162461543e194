package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The sample jar run as a user runs it ({@code java -jar}), as a real process with its
 * output in a file; every process it starts, primary and workers, is killed by pid on
 * {@link #close()}.
 */
final class SampleCluster implements AutoCloseable {

	static final Path JAR = Path.of("target", "sample-app.jar").toAbsolutePath();

	/**
	 * The mode every cluster of this run uses ({@code cluster.mode}): the build runs the
	 * suite once in each.
	 */
	static final String MODE = System.getProperty("cluster.it.mode", "inherit");

	private static final Path LOGS = Path.of("target", "cluster-it");

	private static final Pattern PORT = Pattern.compile("shares port (\\d+) with");

	private static final Pattern MANAGEMENT_PORT = Pattern.compile("local.management.port is (\\d+)");

	private static final String WORKER_PORT = "\\[worker-%d\\].*local\\.server\\.port is (\\d+)";

	private static final AtomicInteger runs = new AtomicInteger();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process primary;

	private final Path log;

	private final Set<Long> workerPids = ConcurrentHashMap.newKeySet();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private volatile int port;

	private volatile int managementPort;

	// should the test JVM itself be ended, SIGTERM to the primary takes its workers down
	private final Thread endOnExit;

	private SampleCluster(Process primary, Path log) {
		this.primary = primary;
		this.log = log;
		this.endOnExit = new Thread(primary::destroy, "end-sample-cluster");
		Runtime.getRuntime().addShutdownHook(this.endOnExit);
	}

	static SampleCluster start(String... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.add("-jar");
		command.add(JAR.toString());
		command.addAll(List.of(arguments));
		return start(command, JAR.getParent());
	}

	static SampleCluster start(List<String> command, Path directory) throws IOException {
		Files.createDirectories(LOGS);
		String run = ProcessHandle.current().pid() + "-" + runs.incrementAndGet();
		Path log = LOGS.resolve("cluster-" + run + ".log");
		List<String> arguments = new ArrayList<>(command);
		// a database of its own, so no run waits on the lock file of one killed before
		arguments.add("--sample.data-dir=" + LOGS.toAbsolutePath().resolve("data-" + run));
		if (arguments.stream().noneMatch((argument) -> argument.startsWith("--cluster.mode="))) {
			arguments.add("--cluster.mode=" + MODE);
		}
		Process process = new ProcessBuilder(arguments).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new SampleCluster(process, log);
	}

	static String java() {
		return ProcessHandle.current().info().command().orElseThrow();
	}

	Process primary() {
		return this.primary;
	}

	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits for the primary to bind and returns the shared port it logged.
	 */
	int port() {
		if (this.port == 0) {
			await().atMost(Duration.ofSeconds(60)).until(() -> PORT.matcher(output()).find() || !this.primary.isAlive());
			Matcher matcher = PORT.matcher(output());
			if (!matcher.find()) {
				throw new IllegalStateException("The primary ended without binding:\n" + output());
			}
			this.port = Integer.parseInt(matcher.group(1));
		}
		return this.port;
	}

	/**
	 * Waits for the primary's management server and returns the port it logged; from then
	 * on actuator requests go there.
	 */
	int managementPort() {
		if (this.managementPort == 0) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> MANAGEMENT_PORT.matcher(output()).find() || !this.primary.isAlive());
			Matcher matcher = MANAGEMENT_PORT.matcher(output());
			if (!matcher.find()) {
				throw new IllegalStateException("The primary ended without a management port:\n" + output());
			}
			this.managementPort = Integer.parseInt(matcher.group(1));
		}
		return this.managementPort;
	}

	/**
	 * The port a worker serves on, as it logged it: the shared port in inherit mode, its
	 * own loopback port, to which the primary relays, in relay mode.
	 */
	int workerPort(int id) {
		Pattern pattern = Pattern.compile(WORKER_PORT.formatted(id));
		await().atMost(Duration.ofSeconds(60)).until(() -> pattern.matcher(output()).find());
		Matcher matcher = pattern.matcher(output());
		matcher.find();
		return Integer.parseInt(matcher.group(1));
	}

	private int actuatorPort() {
		return (this.managementPort != 0) ? this.managementPort : port();
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
		cluster.get("workers").forEach((worker) -> this.workerPids.add(worker.get("pid").asLong()));
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
	 * One request on a connection of its own ({@code Connection: close}), as wrk sends them.
	 * @return the response body
	 * @throws java.net.ConnectException if the connection is refused
	 */
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

	String getOnNewConnection(String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			if (!response.startsWith("HTTP/1.1 200")) {
				throw new IOException("Unexpected response: " + response);
			}
			return response.substring(response.indexOf("\r\n\r\n") + 4);
		}
	}

	Collection<Long> workerPids() {
		this.primary.descendants().forEach((child) -> this.workerPids.add(child.pid()));
		return Set.copyOf(this.workerPids);
	}

	/**
	 * Whether the process still runs. A worker whose primary was killed is reparented to
	 * init and stays a zombie until init reaps it: it has ended all the same.
	 */
	static boolean isAlive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException ex) {
			return false; // no such process
		}
	}

	/**
	 * Whether the process is stopped ({@code SIGSTOP}).
	 */
	static boolean isStopped(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
		}
		catch (IOException ex) {
			return false; // no such process
		}
	}

	static void signal(long pid, String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IOException("kill -" + signal + " " + pid + " failed");
		}
	}

	@Override
	public void close() {
		Runtime.getRuntime().removeShutdownHook(this.endOnExit);
		Collection<Long> pids = workerPids();
		this.primary.destroyForcibly();
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.primary.isAlive() && pids.stream().noneMatch(SampleCluster::isAlive));
	}

}
