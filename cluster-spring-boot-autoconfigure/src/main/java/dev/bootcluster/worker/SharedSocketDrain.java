package dev.bootcluster.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.bootcluster.event.ClusterWorkerDrainingEvent;
import dev.bootcluster.socket.SharedSocketEndpoint;
import dev.bootcluster.socket.SharedSocketProtocol;
import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogMessage;

/**
 * A worker's graceful shutdown on the shared socket, in place of Spring Boot's own (which
 * pauses the connector and so loses connections there): stop accepting, tell the
 * application ({@link ClusterWorkerDrainingEvent}, so that it closes its long-lived
 * connections), serve what was accepted, let idle keep-alive connections go, and only then
 * let the web server stop.
 * It runs in the graceful-shutdown phase, so {@code spring.lifecycle.timeout-per-shutdown-phase}
 * bounds it.
 */
public final class SharedSocketDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SharedSocketDrain.class);

	private static final Duration IDLE_GRACE = Duration.ofMillis(200);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final ApplicationContext context;

	private volatile boolean running;

	/**
	 * Creates a drain for the web server of the given context.
	 * @param context the worker's application context
	 */
	public SharedSocketDrain(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		drain();
	}

	@Override
	public void stop(Runnable callback) {
		ClusterThreads.start("cluster-drain", () -> {
			try {
				drain();
			}
			finally {
				callback.run();
			}
		});
	}

	private void drain() {
		this.running = false;
		List<SharedSocketEndpoint> endpoints = endpoints();
		long start = System.nanoTime();
		endpoints.forEach(SharedSocketEndpoint::stopAccepting);
		announce();
		if (endpoints.isEmpty()) {
			return;
		}
		while (!endpoints.stream().allMatch(SharedSocketEndpoint::isDrained)) {
			endpoints.forEach((endpoint) -> endpoint.expireIdleConnections(IDLE_GRACE));
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
		}
		logger.info(LogMessage.format("Drained in %d ms", Duration.ofNanos(System.nanoTime() - start).toMillis()));
	}

	private void announce() {
		try {
			this.context.publishEvent(new ClusterWorkerDrainingEvent(this));
		}
		catch (RuntimeException ex) {
			// the drain goes on: connections a failed listener left open end with the phase
			logger.warn("A listener of the drain failed; connections it holds may hold the drain up", ex);
		}
	}

	private List<SharedSocketEndpoint> endpoints() {
		WebServer webServer = (this.context instanceof WebServerApplicationContext serverContext)
				? serverContext.getWebServer() : null;
		return (webServer != null) ? SharedSocketProtocol.endpoints(webServer) : List.of();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;
	}

}
