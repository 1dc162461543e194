package dev.bootcluster.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.event.PrimaryMessageEvent;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.log.LogMessage;

/**
 * A worker's link to its primary, like Node's {@code cluster.worker} in a worker: reports
 * online, listening and ready, sends heartbeats with its load, answers the primary's
 * disconnect by draining and exiting, publishes the primary's messages as
 * {@link PrimaryMessageEvent}s, and exits on its own when the primary is gone.
 */
public final class ClusterWorker implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterWorker.class);

	private final int id;

	private final WorkerLoadFilter load;

	private final WorkerExit exit;

	private final ApplicationEventPublisher events;

	private final JsonMapper jsonMapper;

	private final ControlClient client;

	private final ScheduledExecutorService heartbeats;

	private final List<ControlMessage.Message> undelivered = new ArrayList<>();

	private boolean refreshed; // guarded by undelivered

	private volatile boolean leaving;

	/**
	 * Connects to the primary and reports online.
	 * @param id this worker's id
	 * @param controlSocket the primary's control socket
	 * @param token this worker's secret for the control channel
	 * @param heartbeatInterval how often to report the load
	 * @param load the request counts
	 * @param exit how the worker ends
	 * @param events where the primary's messages are published
	 * @param jsonMapper reads the primary's messages
	 * @throws IOException if the primary cannot be reached
	 */
	public ClusterWorker(int id, Path controlSocket, String token, Duration heartbeatInterval, WorkerLoadFilter load,
			WorkerExit exit, ApplicationEventPublisher events, JsonMapper jsonMapper) throws IOException {
		this.id = id;
		this.load = load;
		this.exit = exit;
		this.events = events;
		this.jsonMapper = jsonMapper;
		this.client = ControlClient.connect(controlSocket, id, token, new PrimaryListener());
		this.client.send(new ControlMessage.Online());
		this.heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long interval = heartbeatInterval.toMillis();
		this.heartbeats.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
	}

	/**
	 * This worker's id.
	 * @return the id
	 */
	public int id() {
		return this.id;
	}

	/**
	 * Tells the primary that the application's web server accepts on the shared socket.
	 * @param event the web server's initialization
	 */
	@EventListener
	public void listening(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return; // a management server of its own, not the shared socket
		}
		String address = "";
		for (SharedSocketEndpoint endpoint : SharedSocketProtocol.endpoints(event.getWebServer())) {
			try {
				address = endpoint.sharedAddress().getAddress().getHostAddress();
			}
			catch (IOException ex) {
				logger.debug("Cannot tell the shared socket's address", ex);
			}
		}
		send(new ControlMessage.Listening(address, event.getWebServer().getPort()));
	}

	/**
	 * Publishes the primary's messages that came while the context was starting: only now
	 * are the application's {@code @EventListener} methods registered.
	 * @param event the context's refresh
	 */
	@EventListener
	public void refreshed(ContextRefreshedEvent event) {
		synchronized (this.undelivered) {
			this.refreshed = true;
			this.undelivered.forEach(this::publish);
			this.undelivered.clear();
		}
	}

	private void received(ControlMessage.Message message) {
		synchronized (this.undelivered) {
			if (this.refreshed) {
				publish(message);
			}
			else {
				this.undelivered.add(message);
			}
		}
	}

	private void publish(ControlMessage.Message message) {
		this.events.publishEvent(new PrimaryMessageEvent(this, message.payload(), this.jsonMapper));
	}

	/**
	 * Tells the primary that the application is ready.
	 * @param event the application's readiness
	 */
	@EventListener
	public void ready(ApplicationReadyEvent event) {
		send(new ControlMessage.Ready());
	}

	/**
	 * Tells the primary that this worker is leaving by itself (a {@code SIGTERM} to the
	 * worker, or the application closing its context), so that its exit is not taken
	 * for a crash.
	 * @param event the context's closing
	 */
	@EventListener
	public void closing(ContextClosedEvent event) {
		if (!this.leaving) {
			this.leaving = true;
			send(new ControlMessage.Disconnect());
		}
	}

	/**
	 * The control channel to the primary.
	 */
	ControlClient client() {
		return this.client;
	}

	private void heartbeat() {
		long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		send(new ControlMessage.Heartbeat(this.load.served(), this.load.active(), heapUsed, heapAfterGc()));
	}

	private static long heapAfterGc() {
		long used = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			MemoryUsage afterGc = (pool.getType() == MemoryType.HEAP) ? pool.getCollectionUsage() : null;
			used += (afterGc != null) ? afterGc.getUsed() : 0;
		}
		return used;
	}

	private void send(ControlMessage message) {
		try {
			this.client.send(message);
		}
		catch (IOException ex) {
			if (!this.leaving) {
				logger.warn(LogMessage.format("Failed to send %s to the primary", message), ex);
			}
		}
	}

	@Override
	public void destroy() {
		this.leaving = true;
		this.heartbeats.shutdownNow();
		try {
			this.client.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control channel", ex);
		}
	}

	/**
	 * Follows what the primary says and whether it is still there.
	 */
	private final class PrimaryListener implements ControlClient.Listener {

		@Override
		public void received(ControlMessage message) {
			if (message instanceof ControlMessage.Message applicationMessage) {
				ClusterWorker.this.received(applicationMessage);
			}
			else if (message instanceof ControlMessage.Disconnect) {
				if (!ClusterWorker.this.leaving) {
					logger.info("Disconnect requested by the primary: draining");
					ClusterWorker.this.leaving = true;
					ClusterWorker.this.exit.drainAndExit();
				}
			}
			else {
				logger.warn(LogMessage.format("Ignoring unexpected %s from the primary", message));
			}
		}

		@Override
		public void closed(@Nullable Exception cause) {
			if (!ClusterWorker.this.leaving) {
				ClusterWorker.this.leaving = true;
				logger.error("The primary is gone (control channel closed"
						+ ((cause != null) ? ": " + cause.getMessage() : "") + "); exiting");
				ClusterWorker.this.exit.primaryLost();
			}
		}

	}

}
