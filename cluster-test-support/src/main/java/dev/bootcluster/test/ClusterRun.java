package dev.bootcluster.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A clustered application run as a user runs it, as a real process whose output goes to a
 * file: what it logged, the ports it logged, raw HTTP on a connection of its own, and the
 * end of every process it started. {@link #close()} kills the primary and every worker
 * seen by pid; should the test JVM end first, a shutdown hook sends the primary
 * {@code SIGTERM}, which takes its workers down.
 */
public final class ClusterRun implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("shares ports? (\\d+)((?:, \\d+)*) with");

	private static final Pattern MANAGEMENT_PORT = Pattern.compile("local.management.port is (\\d+)");

	private final Process primary;

	private final Path log;

	private final Set<Long> workerPids = ConcurrentHashMap.newKeySet();

	/** The primary's other children: the training runs of the workers' AOT cache. */
	private final Set<Long> otherPids = ConcurrentHashMap.newKeySet();

	private final Thread endOnExit;

	private volatile int port;

	private volatile int managementPort;

	private ClusterRun(Process primary, Path log) {
		this.primary = primary;
		this.log = log;
		this.endOnExit = new Thread(primary::destroy, "end-cluster-run");
		Runtime.getRuntime().addShutdownHook(this.endOnExit);
	}

	/**
	 * Starts the command.
	 * @param command the command line, {@code java} first
	 * @param directory the working directory
	 * @param log the file that gets the primary's and its workers' output
	 * @return the run
	 * @throws IOException if the process cannot be started
	 */
	public static ClusterRun start(List<String> command, Path directory, Path log) throws IOException {
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new ClusterRun(process, log);
	}

	/**
	 * The {@code java} command of this JVM, for the cluster to run on the same JDK.
	 * @return the command
	 */
	public static String java() {
		return ProcessHandle.current().info().command().orElseThrow();
	}

	/**
	 * The primary's process.
	 * @return the process
	 */
	public Process primary() {
		return this.primary;
	}

	/**
	 * Everything logged so far.
	 * @return the output
	 */
	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * How many times the output has the text so far.
	 * @param text what to count
	 * @return the count
	 */
	public int timesLogged(String text) {
		String output = output();
		int count = 0;
		for (int at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

	/**
	 * Waits until the output has a match for the pattern, or the primary has ended.
	 * @param pattern what to find
	 * @param timeout how long to wait
	 * @return the first match
	 * @throws IllegalStateException if the primary ended without logging it
	 */
	public Matcher awaitOutput(Pattern pattern, Duration timeout) {
		await().atMost(timeout).until(() -> pattern.matcher(output()).find() || !this.primary.isAlive());
		Matcher matcher = pattern.matcher(output());
		if (!matcher.find()) {
			throw new IllegalStateException("The primary ended without logging '" + pattern + "':\n" + output());
		}
		return matcher;
	}

	/**
	 * Waits for the primary to bind and returns the shared port it logged.
	 * @return the port
	 */
	public int port() {
		if (this.port == 0) {
			this.port = Integer.parseInt(awaitOutput(PORT, Duration.ofSeconds(60)).group(1));
		}
		return this.port;
	}

	/**
	 * Waits for the primary to bind and returns the shared ports of the additional
	 * connectors it logged.
	 * @return the ports, in the order of the connectors
	 */
	public List<Integer> additionalPorts() {
		String more = awaitOutput(PORT, Duration.ofSeconds(60)).group(2);
		return Arrays.stream(more.split(","))
			.map(String::trim)
			.filter((port) -> !port.isEmpty())
			.map(Integer::valueOf)
			.toList();
	}

	/**
	 * Waits for the primary's management server and returns the port it logged.
	 * @return the port
	 */
	public int managementPort() {
		if (this.managementPort == 0) {
			this.managementPort = Integer.parseInt(awaitOutput(MANAGEMENT_PORT, Duration.ofSeconds(60)).group(1));
		}
		return this.managementPort;
	}

	/**
	 * Whether the management port was seen already.
	 * @return whether {@link #managementPort()} returns at once
	 */
	public boolean hasManagementPort() {
		return this.managementPort != 0;
	}

	/**
	 * Waits until worker {@code id}'s application has logged that it started.
	 * @param id the worker's id
	 * @param application the simple name of the application's main class
	 */
	public void awaitWorkerStarted(int id, String application) {
		awaitOutput(Pattern.compile("\\[worker-" + id + "\\].*Started " + application), Duration.ofSeconds(90));
	}

	/**
	 * The pid that worker {@code id} was forked with, as the primary logged it.
	 * @param id the worker's id
	 * @return the pid
	 */
	public long workerPid(int id) {
		return Long.parseLong(awaitOutput(Pattern.compile("Forked worker " + id + " \\(pid (\\d+)\\)"),
				Duration.ofSeconds(60))
			.group(1));
	}

	/**
	 * Remembers a worker's pid so that {@link #close()} ends it even if it has left the
	 * primary's process tree.
	 * @param pid the pid
	 */
	public void remember(long pid) {
		this.workerPids.add(pid);
	}

	/**
	 * Every worker pid seen so far, the primary's children now among them.
	 * @return the pids
	 */
	public Collection<Long> workerPids() {
		this.primary.descendants()
			.forEach((child) -> (isWorker(child.pid()) ? this.workerPids : this.otherPids).add(child.pid()));
		return Set.copyOf(this.workerPids);
	}

	/**
	 * One request on a connection of its own ({@code Connection: close}), as wrk sends
	 * them, so that the kernel may hand it to any worker.
	 * @param method the method
	 * @param path the path
	 * @param contentType the body's type, or {@code null} without a body
	 * @param body the body, or {@code null}
	 * @return the response, whatever its status
	 * @throws IOException if the connection is refused or cut, or the answer is not HTTP
	 */
	public RawResponse send(String method, String path, @Nullable String contentType, @Nullable String body)
			throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
			socket.setSoTimeout(10_000);
			byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Connection: close\r\nContent-Length: " + content.length + "\r\n");
			if (contentType != null) {
				request.append("Content-Type: ").append(contentType).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			out.write(content);
			out.flush();
			InputStream in = socket.getInputStream();
			return RawResponse.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	/**
	 * A {@code GET} on a connection of its own.
	 * @param path the path
	 * @return the response, whatever its status
	 * @throws IOException if the connection is refused or cut, or the answer is not HTTP
	 */
	public RawResponse get(String path) throws IOException {
		return send("GET", path, null, null);
	}

	/** Whether a child of the primary is a worker: it has a worker's id in its environment. */
	private static boolean isWorker(long pid) {
		try {
			String environment = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
			return Arrays.stream(environment.split("\0"))
				.anyMatch((variable) -> variable.startsWith("CLUSTER_WORKER_ID="));
		}
		catch (IOException ex) {
			return false; // gone already
		}
	}

	/**
	 * Ends the primary and every worker seen (and any other process it started), by pid,
	 * and waits until they have ended.
	 */
	@Override
	public void close() {
		Runtime.getRuntime().removeShutdownHook(this.endOnExit);
		Set<Long> pids = new HashSet<>(workerPids());
		pids.addAll(this.otherPids);
		this.primary.destroyForcibly();
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.primary.isAlive() && pids.stream().noneMatch(Processes::isAlive));
	}

}
