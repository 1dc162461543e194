package dev.bootcluster.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with connectors beside its main one, as Spring Boot's documentation
 * adds them ({@link AdditionalConnectors}): HTTPS with HTTP/2 on the main port
 * ({@code server.ssl.bundle}), a second HTTPS port with HTTP/2 from the same SSL bundle, and an HTTP
 * port that redirects to the main one. The primary binds all three and every worker
 * serves each; a worker killed under load on every port refuses no connection, and a
 * rolling restart fails no request on any port. Asked for inherit mode on Java 17 to 21,
 * where the JDK hands a worker its standard input only, the primary refuses to start and
 * says why.
 */
class AdditionalConnectorsIT {

	private static final Pattern WORKER = Pattern.compile("(?im)^X-Cluster-Worker: (\\d+)$");

	@Test
	void everyPortIsServedByEveryWorkerThroughAKillAndARollingRestart(@TempDir Path directory) throws Exception {
		SelfSignedTls tls = SelfSignedTls.create(directory);
		int main = freePort();
		int secure = freePort();
		int redirect = freePort();
		String[] arguments = { "--server.port=" + main, "--cluster.workers=2", "--server.ssl.bundle=additional",
				"--server.http2.enabled=true",
				"--spring.ssl.bundle.jks.additional.keystore.location=file:" + tls.keyStore(),
				"--spring.ssl.bundle.jks.additional.keystore.password=" + SelfSignedTls.PASSWORD,
				"--spring.ssl.bundle.jks.additional.keystore.type=PKCS12", "--sample.connectors.https-port=" + secure,
				"--sample.connectors.redirect-port=" + redirect, "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--management.server.ssl.enabled=false" };
		if (SampleCluster.MODE.equals("inherit") && Runtime.version().feature() < 22) {
			try (SampleCluster cluster = SampleCluster.start(arguments)) { // the JDK hands over fd 0 only
				assertThat(cluster.primary().waitFor()).isNotZero();
				assertThat(cluster.output()).contains("The cluster cannot share its socket with workers "
						+ "(cluster.mode=inherit)", "the JDK hands a child its standard input only");
				assertThat(cluster.workerPids()).isEmpty();
			}
			return;
		}
		try (SampleCluster cluster = SampleCluster.start(arguments)) {
			cluster.managementPort();
			JsonNode state = cluster.awaitReady(2);
			assertThat(cluster.port()).isEqualTo(main);
			assertThat(cluster.additionalPorts()).containsExactly(secure, redirect);
			assertThat(state.get("additionalPorts").toString()).isEqualTo("[" + secure + "," + redirect + "]");
			List<Port> ports = List.of(new Port("main", main, (port) -> tls.get(port, "/whoami"), "HTTP/1.1 200"),
					new Port("additional https", secure, (port) -> tls.get(port, "/whoami"), "HTTP/1.1 200"),
					new Port("redirect", redirect, (port) -> getPlain(port, "/whoami"), "HTTP/1.1 302"));
			for (Port port : ports) {
				assertThat(port.workersServing()).as("workers serving the %s port", port.name).hasSize(2);
			}
			assertThat(getPlain(redirect, "/whoami"))
				.containsPattern("(?im)^Location: https://127\\.0\\.0\\.1:" + main + "/whoami$");
			for (int port : List.of(main, secure)) {
				HttpResponse<String> h2 = tls.getOverHttp2(URI.create("https://127.0.0.1:" + port + "/whoami"));
				assertThat(h2.version()).as("port %d", port).isEqualTo(HttpClient.Version.HTTP_2);
				assertThat(h2.body()).contains("\"worker\"");
			}

			ports.forEach(Port::startLoad);
			try {
				await().until(() -> ports.stream().allMatch((port) -> port.served.get() > 20));
				long victim = state.get("workers").get(0).get("pid").asLong();
				int victimId = state.get("workers").get(0).get("id").asInt();
				ProcessHandle.of(victim).orElseThrow().destroyForcibly();
				await().atMost(Duration.ofSeconds(90))
					.ignoreExceptions()
					.until(() -> SampleCluster.readyWorkers(cluster.cluster())
						.stream()
						.noneMatch((worker) -> worker.get("id").asInt() == victimId)
							&& SampleCluster.readyWorkers(cluster.cluster()).size() == 2);
				awaitMoreServed(ports);
				for (Port port : ports) {
					assertThat(port.refused.get()).as("connections refused on the %s port", port.name).isZero();
					assertThat(port.failures).as("requests cut by the kill on the %s port", port.name)
						.hasSizeLessThan(2);
					port.failures.clear();
				}

				int rolled = cluster.timesLogged("Rolling restart complete");
				Processes.signal(cluster.primary().pid(), "HUP");
				await().atMost(Duration.ofSeconds(120))
					.until(() -> cluster.timesLogged("Rolling restart complete") > rolled);
				awaitMoreServed(ports);
			}
			finally {
				ports.forEach(Port::stopLoad);
			}
			for (Port port : ports) {
				assertThat(port.failures).as("requests that failed on the %s port during the roll", port.name)
					.isEmpty();
			}
		}
	}

	private static void awaitMoreServed(List<Port> ports) {
		List<Integer> before = ports.stream().map((port) -> port.served.get()).toList();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> ports.stream().allMatch((port) -> port.served.get() > before.get(ports.indexOf(port)) + 20));
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			return probe.getLocalPort();
		}
	}

	private static String getPlain(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@FunctionalInterface
	interface Request {

		String get(int port) throws IOException;

	}

	/**
	 * One public port, how to ask it, and a client asking it on a connection per request
	 * while the test changes the cluster.
	 */
	static final class Port {

		final String name;

		final int port;

		final Request request;

		final String expected;

		final AtomicInteger served = new AtomicInteger();

		final AtomicInteger refused = new AtomicInteger();

		final List<String> failures = new CopyOnWriteArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean();

		private Thread load;

		Port(String name, int port, Request request, String expected) {
			this.name = name;
			this.port = port;
			this.request = request;
			this.expected = expected;
		}

		Set<String> workersServing() {
			Set<String> workers = new HashSet<>();
			await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
				String response = this.request.get(this.port);
				assertThat(response).startsWith(this.expected);
				Matcher worker = WORKER.matcher(response);
				assertThat(worker.find()).as("a worker header in " + response).isTrue();
				workers.add(worker.group(1));
				assertThat(workers).hasSize(2);
			});
			return workers;
		}

		void startLoad() {
			this.running.set(true);
			this.load = new Thread(() -> {
				while (this.running.get()) {
					try {
						String response = this.request.get(this.port);
						if (!response.startsWith(this.expected)) {
							throw new IOException(response);
						}
						this.served.incrementAndGet();
					}
					catch (ConnectException ex) {
						this.refused.incrementAndGet();
						this.failures.add(ex.toString());
					}
					catch (IOException | RuntimeException ex) {
						this.failures.add(ex.toString());
					}
				}
			}, "load-" + this.name);
			this.load.start();
		}

		void stopLoad() {
			this.running.set(false);
			try {
				this.load.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
