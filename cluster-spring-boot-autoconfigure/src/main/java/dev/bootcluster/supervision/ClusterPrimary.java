package dev.bootcluster.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.SocketMode;
import dev.bootcluster.Worker;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.socket.SharedSocket;
import dev.bootcluster.socket.SocketBinding;
import dev.bootcluster.socket.SocketSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.log.LogMessage;

/**
 * The supervisor of a cluster, like Node's {@code cluster} in the primary: binds the
 * shared socket, keeps the workers running, follows each through its lifecycle over the
 * control channel, replaces those that fail, overstay a step or have served their time,
 * and restarts or scales the cluster without dropping a connection: a replacement is
 * ready before the worker it replaces begins to drain.
 * <p>
 * Threads: one supervisor thread ({@code cluster-primary}) owns the cluster's state and
 * never blocks: every lifecycle step, check and operation is a task there. Each worker's
 * control connection has a reader and a writer thread of its own, with a bounded queue
 * each way, so a worker that stops reading or floods hurts only itself. Application
 * listeners are told on a thread of their own ({@code cluster-events}), in the order the
 * supervisor saw the steps, one order for all workers.
 */
public final class ClusterPrimary {

	private static final Duration WATCHDOG_INTERVAL = Duration.ofMillis(250);

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final SupervisionSettings settings;

	private final SocketSettings socketSettings;

	private final WorkerLauncher launcher;

	private final PrimaryFailure failure = new PrimaryFailure();

	private final SupervisorLoop supervisor = new SupervisorLoop(this.failure);

	private final AsyncWorkerListener events;

	private final SocketRouting routing;

	private final WorkerChannels channels;

	private final WorkerWatchdog watchdog;

	private final SlotSupervisor slots;

	private final PrimaryOperations operations;

	private final WorkerQueries queries;

	private volatile @Nullable SharedSocket socket;

	private volatile @Nullable ControlServer control;

	/**
	 * Creates a primary; nothing is bound or started before {@link #start}.
	 * @param settings how to supervise the workers
	 * @param socketSettings how to share the public socket with them
	 * @param launcher builds each worker's command line
	 * @param restartPolicy paces respawns and spots crash loops
	 * @param publisher publishes the worker events, on a thread of their own
	 * @param payloadMapper reads the payloads of the workers' messages
	 */
	public ClusterPrimary(SupervisionSettings settings, SocketSettings socketSettings, WorkerLauncher launcher,
			RestartPolicy restartPolicy, ApplicationEventPublisher publisher, JsonMapper payloadMapper) {
		this(settings, socketSettings, launcher, restartPolicy, new WorkerEventPublisher(publisher, payloadMapper));
	}

	/**
	 * Creates a primary that tells the given listener of every lifecycle step, on a thread
	 * of its own, instead of publishing events.
	 */
	ClusterPrimary(SupervisionSettings settings, SocketSettings socketSettings, WorkerLauncher launcher,
			RestartPolicy restartPolicy, WorkerListener listener) {
		this.settings = settings;
		this.socketSettings = socketSettings;
		this.launcher = launcher;
		this.events = new AsyncWorkerListener(listener, this.failure);
		this.routing = new SocketRouting(() -> this.socket, this.events, System::nanoTime);
		this.queries = new WorkerQueries(this::send, this::connectedWorkers, QUERY_TIMEOUT);
		this.channels = new WorkerChannels(new Steps(), this.queries, this.supervisor, this.failure, System::nanoTime);
		this.watchdog = new WorkerWatchdog(settings);
		this.slots = new SlotSupervisor(settings, this.watchdog, restartPolicy, this.routing, this.channels,
				this.supervisor, System::nanoTime);
		this.operations = new PrimaryOperations(this, this.supervisor, settings);
	}

	/**
	 * Binds the shared sockets, opens the control channel and forks the workers.
	 * @param bindings the sockets to share: the main connector's, then one per additional
	 * connector
	 * @throws IOException if a socket or the control channel cannot be opened; a
	 * {@link java.net.BindException} if a port is taken. No worker is forked then.
	 */
	public void start(List<SocketBinding> bindings) throws IOException {
		SharedSocket socket = SharedSocket.bind(this.socketSettings, bindings);
		ControlServer control;
		try {
			control = ControlServer.start(this.channels);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
		this.socket = socket;
		this.control = control;
		logger.info(LogMessage.format("Cluster primary (pid %d) shares %s %s with %d worker(s) in %s mode (%s)",
				ProcessHandle.current().pid(), (socket.ports().size() > 1) ? "ports" : "port",
				socket.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")),
				this.settings.workers(), socket.mode(), socket.reason()));
		WorkerSpawner spawner = new WorkerSpawner(this.launcher, socket::spawn, control, new Control(),
				this.watchdog, this.failure, System::nanoTime, this.queries::workerEnvironment);
		this.supervisor.run("the start of the workers", () -> this.slots.start(spawner, this.settings.workers()));
		this.supervisor.every("the watchdog", WATCHDOG_INTERVAL, this.slots::watch);
		this.supervisor.every("the silence check", WATCHDOG_INTERVAL,
				() -> this.routing.checkSilence(this.slots.workers().sorted(), this.socketSettings.silenceLimit(),
						this.channels::isThrottled));
		this.supervisor.every("the heartbeats to the workers", this.settings.heartbeatInterval(),
				this.channels::heartbeat);
	}

	/**
	 * The shared port, once bound.
	 * @return the port, or -1 before {@link #start}
	 */
	public int port() {
		SharedSocket socket = this.socket;
		return (socket != null) ? socket.port() : -1;
	}

	/**
	 * The shared ports of the additional connectors, once bound.
	 * @return the ports, in the order of the connectors; none before {@link #start}
	 */
	public List<Integer> additionalPorts() {
		SharedSocket socket = this.socket;
		return (socket != null) ? socket.ports().subList(1, socket.ports().size()) : List.of();
	}

	/**
	 * How workers share the socket: {@code inherit} or {@code relay}.
	 * @return the mode's name, or {@code null} before {@link #start}
	 */
	public @Nullable String mode() {
		SharedSocket socket = this.socket;
		return (socket != null) ? socket.mode() : null;
	}

	/**
	 * The live workers, by id, as the application sees them.
	 * @return the workers that have not exited
	 */
	public List<Worker> liveWorkers() {
		return List.copyOf(workers());
	}

	/**
	 * The live workers, by id.
	 * @return the workers that have not exited
	 */
	List<SupervisedWorker> workers() {
		return this.slots.workers().sorted();
	}

	/**
	 * A live worker.
	 * @param id the worker's id
	 * @return the worker, or empty if there is none with that id or it has exited
	 */
	Optional<SupervisedWorker> worker(int id) {
		return Optional.ofNullable(this.slots.workers().get(id));
	}

	/**
	 * What the primary knows of the cluster now.
	 * @return the snapshot
	 */
	public ClusterSnapshot snapshot() {
		String mode = mode();
		SharedSocket socket = this.socket;
		String failure = this.failure.description();
		if (failure == null && socket != null) {
			failure = socket.failure();
		}
		String unreachable = (socket != null) ? socket.unreachable() : null;
		return ClusterSnapshots.of((mode != null) ? mode : "none", port(), additionalPorts(), workers(),
				this.slots.erroredSlots(), this.slots.exits(), failure, unreachable);
	}

	/**
	 * What an operator can do to this cluster, each answered with the state once applied.
	 * @return the operations
	 */
	public ClusterOperations operations() {
		return this.operations;
	}

	/**
	 * What the primary can ask its workers: thread dumps, logger levels, their meters.
	 * @return the queries
	 */
	public WorkerQueries queries() {
		return this.queries;
	}

	/**
	 * Queues a message for a connected worker; never waits for the worker.
	 * @param workerId the worker's id
	 * @param message the message
	 * @throws IOException if the worker's queue is full (it is not reading), the channel
	 * is closed, or the message is over the frame limit
	 * @throws dev.bootcluster.MessageDeliveryException if the worker is not connected
	 */
	void send(int workerId, ControlMessage message) throws IOException {
		this.channels.deliver(workerId, message);
	}

	/**
	 * The workers connected to the control channel now.
	 * @return their ids
	 */
	List<Integer> connectedWorkers() {
		return this.channels.connected();
	}

	/**
	 * Replaces every worker, a batch at a time ({@code cluster.rolling.batch-size}): each
	 * replacement is ready before the worker it replaces drains, so the number of ready
	 * workers never drops. Crash-looped slots are started again. New workers are launched
	 * from the command line as it is now, so a jar replaced on disk is an upgrade.
	 * A restart asked for during another rolls every worker again, so that all end on
	 * the newest launch.
	 * @return completed when every worker has been replaced since this call
	 */
	public CompletableFuture<Void> restart() {
		return this.supervisor.call("the rolling restart", this.slots::restart)
			.thenCompose(Function.identity())
			.thenRun(() -> logger.info("Rolling restart complete"));
	}

	/**
	 * Gracefully replaces one worker: its replacement is ready before it drains.
	 * @param worker the worker
	 */
	void replace(SupervisedWorker worker) {
		this.supervisor.run("the replacement of " + worker, () -> this.slots.replace(worker));
	}

	/**
	 * Changes the number of workers. Scaling down drains the newest workers; crash-looped
	 * slots that stay are started again.
	 * @param workers the number of workers, at least 1
	 * @throws IllegalArgumentException if the number is below 1 or over
	 * {@code cluster.max-workers}
	 */
	public void scale(int workers) {
		if (workers < 1) {
			throw new IllegalArgumentException("A cluster needs at least 1 worker, not " + workers);
		}
		if (workers > this.settings.maxWorkers()) {
			throw new IllegalArgumentException("Cannot scale to " + workers + " worker(s): cluster.max-workers is "
					+ this.settings.maxWorkers());
		}
		this.supervisor.run("scaling to " + workers + " worker(s)", () -> this.slots.scale(workers));
	}

	/**
	 * Disconnects every worker gracefully (no respawns from now on) and runs the callback
	 * once all have exited. Workers still draining after the kill timeout are killed.
	 * @param whenDone called, on the supervisor thread, when no worker is left
	 */
	public void shutDownGracefully(Runnable whenDone) {
		this.supervisor.run("the graceful shutdown", () -> this.slots.shutDownGracefully(whenDone));
	}

	/**
	 * Ends the workers that are left ({@code SIGTERM}, then {@code SIGKILL} for those still
	 * running after the kill timeout or 10 s, whichever is shorter), waits for them, and
	 * releases the socket and the control channel.
	 */
	public synchronized void stop() {
		if (this.supervisor.isShutdown()) {
			return;
		}
		this.supervisor.run("the stop", () -> this.slots.signalAll("TERM"));
		Duration termWait = (this.settings.killTimeout().compareTo(STOP_WAIT) < 0) ? this.settings.killTimeout()
				: STOP_WAIT;
		if (!this.slots.workers().awaitNone(termWait)) {
			this.supervisor.run("the stop", () -> this.slots.signalAll("KILL"));
			if (!this.slots.workers().awaitNone(STOP_WAIT)) {
				logger.warn(LogMessage.format("Workers still running after SIGKILL: %s", workers()));
			}
		}
		this.supervisor.shutdownNow();
		this.events.stop(STOP_WAIT);
		closeQuietly();
	}

	/**
	 * What a worker's handle asks of the primary, done on the supervisor thread.
	 */
	private final class Control implements SupervisedWorker.Control {

		@Override
		public void disconnect(SupervisedWorker worker) {
			ClusterPrimary.this.supervisor.run("the disconnect of " + worker,
					() -> ClusterPrimary.this.slots.ending().disconnect(worker, WorkerExitCause.DISCONNECTED));
		}

		@Override
		public void kill(SupervisedWorker worker, String signal) {
			ClusterPrimary.this.supervisor.run("the kill of " + worker, () -> ClusterPrimary.this.slots.ending()
				.signal(worker, signal, WorkerExitCause.KILLED, true));
		}

	}

	/**
	 * The steps workers report over the control channel, taken on the supervisor thread.
	 */
	private final class Steps implements WorkerChannels.Steps {

		@Override
		public @Nullable SupervisedWorker liveWorker(int id) {
			SupervisedWorker worker = ClusterPrimary.this.slots.workers().get(id);
			return (worker != null && !worker.isDead()) ? worker : null;
		}

		@Override
		public void online(SupervisedWorker worker) {
			if (worker.state() == WorkerState.FORKED) {
				worker.state(WorkerState.ONLINE);
				ClusterPrimary.this.routing.online(worker);
				ClusterPrimary.this.queries.online(worker.id());
			}
		}

		@Override
		public void listening(SupervisedWorker worker, String address, int port, List<Integer> additionalPorts,
				List<String> socketPaths) {
			if (worker.state() != WorkerState.DISCONNECTING) {
				worker.listening(address, port, additionalPorts, socketPaths);
				worker.state(WorkerState.LISTENING);
				ClusterPrimary.this.routing.listening(worker, address, port);
			}
		}

		@Override
		public void ready(SupervisedWorker worker) {
			if (worker.state() != WorkerState.DISCONNECTING) {
				worker.ready(System.nanoTime());
				logger.info(LogMessage.format("Worker %d (pid %d) is ready", worker.id(), worker.pid()));
				ClusterPrimary.this.routing.ready(worker);
				ClusterPrimary.this.slots.ready(worker);
				List<SupervisedWorker> live = ClusterPrimary.this.slots.workers().sorted();
				if (live.stream().allMatch((each) -> each.state().compareTo(WorkerState.READY) >= 0)) {
					ClusterPrimary.this.launcher.settled(ClusterPrimary.this.slots.slotCount()); // none starts
				}
			}
		}

		@Override
		public void heartbeat(SupervisedWorker worker, WorkerLoad load) {
			worker.load(load);
			ClusterPrimary.this.slots.heartbeat(worker, load);
		}

		@Override
		public void message(SupervisedWorker worker, JsonNode payload, Runnable handled) {
			ClusterPrimary.this.events.message(worker, payload, handled);
		}

		@Override
		public void leaving(SupervisedWorker worker) {
			ClusterPrimary.this.slots.ending().leaving(worker);
		}

		@Override
		public ClusterOperations operations() {
			return ClusterPrimary.this.operations.forWorkers();
		}

	}

	private void closeQuietly() {
		ControlServer control = this.control;
		if (control != null) {
			control.close();
		}
		SharedSocket socket = this.socket;
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				logger.warn("Failed to close the shared socket", ex);
			}
		}
	}

}
