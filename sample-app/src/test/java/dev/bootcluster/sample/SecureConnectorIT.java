package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTPS with HTTP/2 on the shared port ({@code server.ssl.*} with a self-signed PKCS12
 * keystore made for the test, {@code server.http2.enabled}): every worker serves h2 over
 * TLS, and a rolling restart fails no HTTPS request.
 */
class SecureConnectorIT {

	private static final String PASSWORD = "changeit";

	@Test
	void httpsWithHttp2IsServedByEveryWorkerAndRollsWithoutAFailedRequest(@TempDir Path directory) throws Exception {
		Path keyStore = selfSignedKeyStore(directory);
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--server.ssl.key-store=" + keyStore, "--server.ssl.key-store-password=" + PASSWORD,
				"--server.ssl.key-store-type=PKCS12", "--server.http2.enabled=true", "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--management.server.ssl.enabled=false")) {
			cluster.managementPort();
			cluster.awaitReady(2);
			SSLContext tls = trusting(keyStore);
			URI whoami = URI.create("https://127.0.0.1:" + cluster.port() + "/whoami");
			Set<String> workers = new HashSet<>();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				HttpResponse<String> response = getOnNewConnection(tls, whoami);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
				workers.add(response.body().replaceAll(".*\"worker\":(\\d+).*", "$1"));
				assertThat(workers).as("workers that answered over h2").hasSize(2);
			});

			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger served = new AtomicInteger();
			List<String> failures = new ArrayList<>();
			Thread load = new Thread(() -> {
				while (running.get()) {
					try {
						String response = getOverTls(tls, cluster.port(), "/whoami");
						if (!response.startsWith("HTTP/1.1 200")) {
							throw new IOException(response);
						}
						served.incrementAndGet();
					}
					catch (IOException | RuntimeException ex) {
						synchronized (failures) {
							failures.add(ex.toString());
						}
					}
				}
			}, "tls-load");
			load.start();
			await().until(() -> served.get() > 20);
			int rolled = cluster.timesLogged("Rolling restart complete");
			Processes.signal(cluster.primary().pid(), "HUP");
			await().atMost(Duration.ofSeconds(120))
				.until(() -> cluster.timesLogged("Rolling restart complete") > rolled);
			int servedAfterRoll = served.get();
			await().until(() -> served.get() > servedAfterRoll + 20);
			running.set(false);
			load.join();
			assertThat(failures).as("requests that failed during the roll").isEmpty();
		}
	}

	private static HttpResponse<String> getOnNewConnection(SSLContext tls, URI uri)
			throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(tls)
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	// HTTP/1.1 over TLS on a connection of its own, as a load that is cheap to repeat
	private static String getOverTls(SSLContext tls, int port, String path) throws IOException {
		try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static Path selfSignedKeyStore(Path directory) throws IOException, InterruptedException {
		Path keyStore = directory.resolve("server.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("keytool: " + output).isZero();
		return keyStore;
	}

	private static SSLContext trusting(Path keyStore) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
