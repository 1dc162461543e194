package dev.bootcluster.sample.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * The catalogue jar run as a user runs it ({@code java -jar}), clustered, as real
 * processes with their output in a file; every process it starts, primary and workers,
 * is killed by pid on {@link #close()} or, should the test JVM end first, by a shutdown
 * hook. (A smaller cousin of sample-app's {@code SampleCluster}.)
 */
final class CatalogueCluster implements AutoCloseable {

	static final Path JAR = Path.of("target", "sample-data.jar").toAbsolutePath();

	private static final Path RUNS = Path.of("target", "cluster-it").toAbsolutePath();

	private static final Pattern PORT = Pattern.compile("shares port (\\d+) with");

	private final Process primary;

	private final Path log;

	private final Path dataDir;

	private final Set<Long> workerPids = ConcurrentHashMap.newKeySet();

	private final Thread endOnExit;

	private volatile int port;

	private CatalogueCluster(Process primary, Path log, Path dataDir) {
		this.primary = primary;
		this.log = log;
		this.dataDir = dataDir;
		this.endOnExit = new Thread(primary::destroy, "end-catalogue-cluster");
		Runtime.getRuntime().addShutdownHook(this.endOnExit);
	}

	static CatalogueCluster start(String... arguments) throws IOException {
		String run = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime();
		Path dataDir = RUNS.resolve("data-" + run);
		Files.createDirectories(dataDir);
		Path log = RUNS.resolve("cluster-" + run + ".log");
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
				"-jar", JAR.toString(), "--server.port=0", "--sample.data-dir=" + dataDir));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(RUNS.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new CatalogueCluster(process, log, dataDir);
	}

	Process primary() {
		return this.primary;
	}

	/**
	 * The JDBC URL of the database the cluster shares (H2 serves it to this JVM too).
	 */
	String databaseUrl() {
		return "jdbc:h2:file:" + this.dataDir.resolve("catalogue") + ";AUTO_SERVER=TRUE";
	}

	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

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
	 * Waits until worker {@code id} has logged that its application started.
	 */
	void awaitWorkerStarted(int id) {
		Pattern started = Pattern.compile("\\[worker-" + id + "\\].*Started CatalogueApplication");
		await().atMost(Duration.ofSeconds(90))
			.until(() -> started.matcher(output()).find() || !this.primary.isAlive());
		if (!started.matcher(output()).find()) {
			throw new IllegalStateException("The primary ended:\n" + output());
		}
	}

	/**
	 * One request on a connection of its own, so that the kernel may hand it to any worker.
	 * @param method the method
	 * @param path the path
	 * @param contentType the body's type, or {@code null} without a body
	 * @param body the body, or {@code null}
	 * @return the response
	 */
	Response send(String method, String path, @Nullable String contentType, @Nullable String body)
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
			return Response.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	Response get(String path) throws IOException {
		return send("GET", path, null, null);
	}

	Collection<Long> workerPids() {
		this.primary.descendants().forEach((child) -> this.workerPids.add(child.pid()));
		return Set.copyOf(this.workerPids);
	}

	static long rssKiB(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException ex) {
			// ended
		}
		return -1;
	}

	static boolean isAlive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException ex) {
			return false;
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
			.until(() -> !this.primary.isAlive() && pids.stream().noneMatch(CatalogueCluster::isAlive));
	}

	/**
	 * An HTTP response as the test reads it.
	 * @param status the status code
	 * @param worker the {@code X-Cluster-Worker} header, or {@code null}
	 * @param head the status line and headers
	 * @param body the body
	 */
	record Response(int status, @Nullable String worker, String head, String body) {

		static Response parse(String response) throws IOException {
			int end = response.indexOf("\r\n\r\n");
			if (!response.startsWith("HTTP/1.1 ") || end < 0) {
				throw new IOException("Not an HTTP response: " + response);
			}
			String head = response.substring(0, end);
			Matcher worker = Pattern.compile("(?im)^X-Cluster-Worker: *(\\S+)").matcher(head);
			return new Response(Integer.parseInt(response.substring(9, 12)), worker.find() ? worker.group(1) : null,
					head, dechunk(head, response.substring(end + 4)));
		}

		private static String dechunk(String head, String body) {
			if (!head.toLowerCase().contains("transfer-encoding: chunked")) {
				return body;
			}
			StringBuilder content = new StringBuilder();
			int at = 0;
			while (at < body.length()) {
				int lineEnd = body.indexOf("\r\n", at);
				int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					break;
				}
				content.append(body, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
			return content.toString();
		}

	}

}
