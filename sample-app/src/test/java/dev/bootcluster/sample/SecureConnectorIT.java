package dev.bootcluster.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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

	@Test
	void httpsWithHttp2IsServedByEveryWorkerAndRollsWithoutAFailedRequest(@TempDir Path directory) throws Exception {
		SelfSignedTls selfSigned = SelfSignedTls.create(directory);
		Path keyStore = selfSigned.keyStore();
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--server.ssl.key-store=" + keyStore, "--server.ssl.key-store-password=" + SelfSignedTls.PASSWORD,
				"--server.ssl.key-store-type=PKCS12", "--server.http2.enabled=true", "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--management.server.ssl.enabled=false")) {
			cluster.managementPort();
			cluster.awaitReady(2);
			URI whoami = URI.create("https://127.0.0.1:" + cluster.port() + "/whoami");
			Set<String> workers = new HashSet<>();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				HttpResponse<String> response = selfSigned.getOverHttp2(whoami);
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
						String response = selfSigned.get(cluster.port(), "/whoami");
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

}
