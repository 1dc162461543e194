package dev.bootcluster.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.event.PrimaryMessageEvent;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.socket.SharedSocketEndpoint;
import dev.bootcluster.socket.SharedSocketProtocol;
import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.log.LogMessage;

/**
 * A worker's link to its primary, like Node's {@code cluster.worker} in a worker: reports
 * online, listening and ready, sends heartbeats with its load and whether its request
 * threads make progress ({@link RequestThreadsProbe}), answers the primary's
 * disconnect by draining and exiting, publishes the primary's messages as
 * {@link PrimaryMessageEvent}s (on a thread of their own, so that no listener holds up the
 * heartbeats or the channel), exits on its own when the primary is gone, and tells when
 * the primary has been silent for {@code cluster.worker.heartbeat-timeout}: hung or
 * stopped.
 */
public final class ClusterWorker implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterWorker.class);

	private final int id;

	private final WorkerLoadFilter load;

	private final WorkerExit exit;

	private final ApplicationEventPublisher events;

	private final JsonMapper jsonMapper;

	private final ControlClient client;

	private final PrimaryMessages messages;

	private final PrimarySilence silence;

	private final RequestThreadsProbe requestThreads = new RequestThreadsProbe(System::nanoTime);

	private final ScheduledExecutorService heartbeats;

	private final PrimaryRequests requests = new PrimaryRequests(
			LoggingSystem.get(ClusterWorker.class.getClassLoader()));

	private volatile @Nullable MeterReports meters;

	private volatile boolean leaving;

	/**
	 * Connects to the primary and reports online.
	 * @param id this worker's id
	 * @param controlSocket the primary's control socket
	 * @param token this worker's secret for the control channel
	 * @param heartbeatInterval how often to report the load
	 * @param heartbeatTimeout how long the primary, which heartbeats too, may stay unheard
	 * @param load the request counts
	 * @param exit how the worker ends
	 * @param events where the primary's messages are published
	 * @param jsonMapper reads the primary's messages
	 * @throws IOException if the primary cannot be reached
	 */
	public ClusterWorker(int id, Path controlSocket, String token, Duration heartbeatInterval,
			Duration heartbeatTimeout, WorkerLoadFilter load, WorkerExit exit, ApplicationEventPublisher events,
			JsonMapper jsonMapper) throws IOException {
		this.id = id;
		this.load = load;
		this.exit = exit;
		this.events = events;
		this.jsonMapper = jsonMapper;
		this.messages = new PrimaryMessages(this::publish, PrimaryMessages.MAX_WAITING);
		this.silence = new PrimarySilence(heartbeatTimeout, System::nanoTime, this.messages::isHeldBack);
		try {
			this.client = ControlClient.connect(controlSocket, id, token, new PrimaryListener());
		}
		catch (IOException | RuntimeException ex) {
			this.messages.close();
			throw ex;
		}
		this.client.send(new ControlMessage.Online());
		// two threads: a heartbeat blocked on a primary that reads no more does not hold up
		// the check of its silence
		this.heartbeats = Executors.newScheduledThreadPool(2, ClusterThreads.factory("cluster-heartbeat"));
		long interval = heartbeatInterval.toMillis();
		this.heartbeats.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
		this.heartbeats.scheduleAtFixedRate(this::checkSilence, interval, interval, TimeUnit.MILLISECONDS);
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
		List<SharedSocketEndpoint> endpoints = SharedSocketProtocol.endpoints(event.getWebServer());
		Executor requestExecutor = endpoints.isEmpty() ? null : endpoints.get(0).getExecutor();
		if (requestExecutor != null) {
			this.requestThreads.watch(requestExecutor);
		}
		// The main connector is the service's first; the additional ones follow in order.
		List<String> socketPaths = endpoints.stream()
			.map(SharedSocketEndpoint::getUnixDomainSocketPath)
			.filter(Objects::nonNull)
			.toList();
		if (!socketPaths.isEmpty()) {
			address = socketPaths.get(0); // as Node reports a pipe: the path, no port
		}
		else if (!endpoints.isEmpty()) {
			try {
				address = endpoints.get(0).sharedAddress().getAddress().getHostAddress();
			}
			catch (IOException ex) {
				logger.debug("Cannot tell the shared socket's address", ex);
			}
		}
		List<Integer> additionalPorts = endpoints.stream().skip(1).map(SharedSocketEndpoint::getLocalPort).toList();
		send(new ControlMessage.Listening(address, event.getWebServer().getPort(), additionalPorts, socketPaths));
	}

	/**
	 * Publishes the primary's messages that came while the context was starting: only now
	 * are the application's {@code @EventListener} methods registered.
	 * @param event the context's refresh
	 */
	@EventListener
	public void refreshed(ContextRefreshedEvent event) {
		this.messages.refreshed();
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
	 * How long the primary has been unheard, if longer than
	 * {@code cluster.worker.heartbeat-timeout}: it is hung or stopped. The primary
	 * heartbeats every {@code cluster.worker.heartbeat-interval}.
	 * @return the primary's silence, or empty while it is heard in time
	 */
	public Optional<Duration> primarySilence() {
		return this.silence.silence();
	}

	/**
	 * Reports this worker's meters to the primary after each heartbeat from now on, so
	 * that a scrape of the primary shows them.
	 * @param meters the reports, such as a {@link RegistryMeterReports}
	 */
	public void shareMeters(MeterReports meters) {
		this.meters = meters;
	}

	/**
	 * The control channel to the primary.
	 */
	ControlClient client() {
		return this.client;
	}

	private void heartbeat() {
		try {
			long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			send(new ControlMessage.Heartbeat(this.load.served(), this.load.active(), heapUsed, heapAfterGc(),
					this.requestThreads.probe().toMillis()));
		}
		catch (Throwable ex) {
			logger.error("Failed to send a heartbeat to the primary", ex);
		}
		MeterReports meters = this.meters;
		try {
			if (meters != null) {
				for (ControlMessage.Meters frame : meters.next()) {
					if (this.client.isBacklogged()) { // the primary reads slowly: heartbeats first
						meters.missed();
						break;
					}
					this.client.send(frame);
				}
			}
		}
		catch (Throwable ex) {
			if (meters != null) {
				meters.missed();
			}
			if (!this.leaving) {
				logger.warn("Failed to send the meters to the primary; sending all of them again next time", ex);
			}
		}
	}

	private void checkSilence() {
		try {
			if (!this.leaving) {
				this.silence.check();
			}
		}
		catch (Throwable ex) {
			logger.error("Failed to check the primary's silence", ex);
		}
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
		this.messages.close();
		try {
			this.client.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control channel", ex);
		}
	}

	/**
	 * What a worker tells its primary of its meters, after each heartbeat.
	 */
	public interface MeterReports {

		/**
		 * The frames of the next report: the meters new or changed since the last one,
		 * and those gone; none if nothing changed.
		 * @return the frames
		 */
		List<ControlMessage.Meters> next();

		/**
		 * A report did not reach the primary whole: the next one tells every meter.
		 */
		void missed();

	}

	/**
	 * Follows what the primary says and whether it is still there.
	 */
	private final class PrimaryListener implements ControlClient.Listener {

		@Override
		public void received(ControlMessage message) {
			ClusterWorker.this.silence.heard();
			if (message instanceof ControlMessage.PrimaryHeartbeat) {
				// heard: that is all it says
			}
			else if (message instanceof ControlMessage.Message applicationMessage) {
				ClusterWorker.this.messages.received(applicationMessage);
			}
			else if (message instanceof ControlMessage.WorkerRequest request) {
				send(ClusterWorker.this.requests.answer(request));
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
