package dev.bootcluster.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.bootcluster.thread.ClusterThreads;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogMessage;

/**
 * Warms a worker up before it takes any connection: {@code GET}s to paths of the
 * application for a time or a count ({@code cluster.worker.warmup.*}), through a connector
 * of its own on a loopback port, while the shared connectors are not started yet. So the
 * kernel (inherit mode) or the primary (relay mode) hands the worker no connection while
 * its JVM is cold, and it reports READY warm. A request that fails is counted, the first
 * one logged; a warm-up never fails the worker's start.
 */
public final class WorkerWarmup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerWarmup.class);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final Supplier<@Nullable WebServer> webServer;

	private final List<String> paths;

	private final Duration duration;

	private final long requests;

	private final int concurrency;

	private volatile boolean running;

	/**
	 * Creates a warm-up.
	 * @param context the worker's context, whose web server is Tomcat
	 * @param paths the paths to request in turn; none for no warm-up
	 * @param duration how long to send requests at most
	 * @param requests how many requests to send at most, or 0 for as many as fit in the
	 * duration
	 * @param concurrency how many requests at a time
	 */
	public WorkerWarmup(ApplicationContext context, List<String> paths, Duration duration, long requests,
			int concurrency) {
		this(() -> (context instanceof WebServerApplicationContext serverContext) ? serverContext.getWebServer()
				: null, paths, duration, requests, concurrency);
	}

	WorkerWarmup(Supplier<@Nullable WebServer> webServer, List<String> paths, Duration duration, long requests,
			int concurrency) {
		this.webServer = webServer;
		this.paths = List.copyOf(paths);
		this.duration = duration;
		this.requests = requests;
		this.concurrency = concurrency;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.paths.isEmpty() || !(this.webServer.get() instanceof TomcatWebServer tomcat)) {
			return;
		}
		Service service = tomcat.getTomcat().getService();
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		try {
			service.addConnector(connector); // starts it
			warmUp(connector.getLocalPort());
		}
		catch (RuntimeException ex) {
			logger.warn("No warm-up: its loopback connector did not start", ex);
		}
		finally {
			service.removeConnector(connector); // stops it
			try {
				connector.destroy();
			}
			catch (LifecycleException ex) {
				logger.debug("Cannot destroy the warm-up's connector", ex);
			}
		}
	}

	private void warmUp(int port) {
		long started = System.nanoTime();
		long deadline = started + this.duration.toNanos();
		AtomicLong tickets = new AtomicLong();
		AtomicLong sent = new AtomicLong();
		AtomicInteger failed = new AtomicInteger();
		AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(REQUEST_TIMEOUT)
			.build();
		// daemons as the thread waiting for them is
		ExecutorService senders = Executors.newFixedThreadPool(this.concurrency,
				ClusterThreads.numberedFactory("cluster-warmup", Thread.currentThread().isDaemon()));
		for (int i = 0; i < this.concurrency; i++) {
			senders.execute(() -> {
				long ticket;
				while ((ticket = tickets.getAndIncrement()) < this.requests || this.requests == 0) {
					if (System.nanoTime() - deadline >= 0) {
						return;
					}
					String failure = send(client, port, this.paths.get((int) (ticket % this.paths.size())));
					sent.incrementAndGet();
					if (failure != null) {
						failed.incrementAndGet();
						firstFailure.compareAndSet(null, failure);
					}
				}
			});
		}
		senders.shutdown();
		try {
			if (!senders.awaitTermination(this.duration.plus(REQUEST_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)) {
				senders.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			senders.shutdownNow();
			Thread.currentThread().interrupt();
		}
		String summary = String.format("Warmed up in %.1f s: %d request(s) to %s",
				(System.nanoTime() - started) / 1e9, sent.get(), this.paths);
		if (failed.get() == 0) {
			logger.info(summary);
		}
		else {
			logger.warn(LogMessage.format("%s, %d failed (the first: %s)", summary, failed.get(), firstFailure.get()));
		}
	}

	/** Sends one request; what went wrong, or {@code null}. */
	private static @Nullable String send(HttpClient client, int port, String path) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(REQUEST_TIMEOUT)
				.GET()
				.build();
			HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
			return (response.statusCode() >= 500) ? "GET " + path + " answered " + response.statusCode() : null;
		}
		catch (IOException | RuntimeException ex) {
			return "GET " + path + ": " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "GET " + path + ": interrupted";
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Just before the web server starts its connectors. */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
	}

}
