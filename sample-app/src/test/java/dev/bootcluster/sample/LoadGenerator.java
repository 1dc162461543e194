package dev.bootcluster.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients hammering a cluster while a test changes it: half open a connection per request
 * ({@code Connection: close}), half reuse keep-alive connections, and every failure is
 * kept with its reason.
 */
final class LoadGenerator implements AutoCloseable {

	private final SampleCluster cluster;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger served = new AtomicInteger();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final ExecutorService clients;

	private final HttpClient keepAlive = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private LoadGenerator(SampleCluster cluster, int clients) {
		this.cluster = cluster;
		this.clients = Executors.newFixedThreadPool(clients);
	}

	static LoadGenerator start(SampleCluster cluster, String path) {
		LoadGenerator load = new LoadGenerator(cluster, 4);
		for (int i = 0; i < 4; i++) {
			boolean close = i % 2 == 0;
			load.clients.execute(() -> load.run(path, close));
		}
		return load;
	}

	private void run(String path, boolean connectionPerRequest) {
		URI uri = URI.create("http://127.0.0.1:" + this.cluster.port() + path);
		while (this.running.get()) {
			try {
				if (connectionPerRequest) {
					this.cluster.getOnNewConnection(path);
				}
				else {
					HttpResponse<String> response = this.keepAlive.send(
							HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
							HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() != 200) {
						throw new IOException("status " + response.statusCode() + ": " + response.body());
					}
				}
				this.served.incrementAndGet();
			}
			catch (IOException ex) {
				this.failures.add((connectionPerRequest ? "close: " : "keep-alive: ") + ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	int served() {
		return this.served.get();
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.clients.shutdown();
		if (!this.clients.awaitTermination(30, TimeUnit.SECONDS)) {
			this.clients.shutdownNow();
		}
	}

}
