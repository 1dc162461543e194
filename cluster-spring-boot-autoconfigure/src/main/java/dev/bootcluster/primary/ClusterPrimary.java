package dev.bootcluster.primary;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.socket.SharedSocket;
import dev.bootcluster.socket.SocketMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogMessage;

/**
 * The supervisor of a cluster, like Node's {@code cluster} in the primary: binds the
 * shared socket, keeps the workers running, follows each through its lifecycle over the
 * control channel, replaces those that fail, overstay a step or have served their time,
 * and restarts or scales the cluster without dropping a connection: a replacement is
 * ready before the worker it replaces begins to drain.
 * <p>
 * Every change of state happens on one supervisor thread, so listeners see the events of
 * all workers in a single order.
 */
public final class ClusterPrimary {

	private static final Duration WATCHDOG_INTERVAL = Duration.ofMillis(250);

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final SupervisionSettings settings;

	private final SocketSettings socketSettings;

	private final WorkerListener listener;

	private final SocketRouting routing;

	private final ScheduledThreadPoolExecutor supervisor;

	private final WorkerChannels channels;

	private final SlotSupervisor slots;

	private final PrimaryOperations operations;

	private volatile @Nullable SharedSocket socket;

	private volatile @Nullable ControlServer control;

	/**
	 * Creates a primary; nothing is bound or started before {@link #start}.
	 * @param settings how to supervise the workers
	 * @param launcher builds each worker's command line
	 * @param restartPolicy paces respawns and spots crash loops
	 * @param listener told of every lifecycle step
	 */
	public ClusterPrimary(SupervisionSettings settings, WorkerLauncher launcher, RestartPolicy restartPolicy,
			WorkerListener listener) {
		this(settings, SocketSettings.DEFAULT, launcher, restartPolicy, listener);
	}

	/**
	 * Creates a primary; nothing is bound or started before {@link #start}.
	 * @param settings how to supervise the workers
	 * @param socketSettings how to share the public socket with them
	 * @param launcher builds each worker's command line
	 * @param restartPolicy paces respawns and spots crash loops
	 * @param listener told of every lifecycle step
	 */
	public ClusterPrimary(SupervisionSettings settings, SocketSettings socketSettings, WorkerLauncher launcher,
			RestartPolicy restartPolicy, WorkerListener listener) {
		this.settings = settings;
		this.socketSettings = socketSettings;
		this.routing = new SocketRouting(() -> this.socket, new GuardedWorkerListener(listener));
		this.listener = this.routing;
		this.supervisor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "cluster-primary");
			thread.setDaemon(true);
			return thread;
		});
		this.supervisor.setRemoveOnCancelPolicy(true);
		this.channels = new WorkerChannels(this, this.supervisor);
		this.slots = new SlotSupervisor(this, settings, launcher, restartPolicy, this.listener, this.channels,
				this.supervisor);
		this.operations = new PrimaryOperations(this, this.supervisor, settings.minReady());
	}

	/**
	 * Binds the shared socket, opens the control channel and forks the workers.
	 * @param address the address to bind, or {@code null} for all
	 * @param port the port, or 0 for an ephemeral one
	 * @param backlog the accept queue length
	 * @throws IOException if the socket or control channel cannot be opened; a
	 * {@link java.net.BindException} if the port is taken. No worker is forked then.
	 */
	public void start(@Nullable InetAddress address, int port, int backlog) throws IOException {
		SocketMode mode = this.socketSettings.mode();
		SharedSocket socket = SharedSocket.bind(mode, address, port, backlog, this.socketSettings.relayIdleTimeout());
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
		logger.info(LogMessage.format("Cluster primary (pid %d) shares port %d with %d worker(s) in %s mode (%s)",
				ProcessHandle.current().pid(), socket.port(), this.settings.workers(), socket.mode(),
				SharedSocket.reason(mode)));
		this.supervisor.execute(() -> this.slots.start(socket, control, this.settings.workers()));
		long interval = WATCHDOG_INTERVAL.toMillis();
		this.supervisor.scheduleWithFixedDelay(() -> {
			this.slots.watch();
			this.routing.checkSilence(this.slots.workers().sorted(), this.socketSettings.silenceLimit());
		}, interval, interval, TimeUnit.MILLISECONDS);
		long heartbeat = this.settings.heartbeatInterval().toMillis();
		this.supervisor.scheduleWithFixedDelay(this.channels::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
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
	 * How workers share the socket: {@code inherit} or {@code relay}.
	 * @return the mode's name, or {@code null} before {@link #start}
	 */
	public @Nullable String mode() {
		SharedSocket socket = this.socket;
		return (socket != null) ? socket.mode() : null;
	}

	/**
	 * The live workers, by id.
	 * @return the workers that have not exited
	 */
	public List<Worker> workers() {
		return this.slots.workers().sorted();
	}

	/**
	 * A live worker.
	 * @param id the worker's id
	 * @return the worker, or empty if there is none with that id or it has exited
	 */
	public Optional<Worker> worker(int id) {
		return Optional.ofNullable(this.slots.workers().get(id));
	}

	/**
	 * What the primary knows of the cluster now.
	 * @return the snapshot
	 */
	public ClusterSnapshot snapshot() {
		String mode = mode();
		return ClusterSnapshot.of((mode != null) ? mode : "none", port(), workers(), this.slots.erroredSlots(),
				this.slots.exits());
	}

	/**
	 * What an operator can do to this cluster, each answered with the state once applied.
	 * @return the operations
	 */
	public ClusterOperations operations() {
		return this.operations;
	}

	/**
	 * Sends a message to a connected worker.
	 * @param workerId the worker's id
	 * @param message the message
	 * @throws IOException if the channel fails or the message is over the frame limit
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
	 * @return completed when every worker has been replaced; joins a restart in progress
	 */
	public CompletableFuture<Void> restart() {
		return CompletableFuture.supplyAsync(this.slots::restart, this.supervisor)
			.thenCompose(Function.identity())
			.thenRun(() -> logger.info("Rolling restart complete"));
	}

	/**
	 * Gracefully replaces one worker: its replacement is ready before it drains.
	 * @param worker the worker
	 */
	public void replace(Worker worker) {
		this.supervisor.execute(() -> this.slots.replace(worker));
	}

	/**
	 * Changes the number of workers. Scaling down drains the newest workers.
	 * @param workers the number of workers, at least 1
	 */
	public void scale(int workers) {
		if (workers < 1) {
			throw new IllegalArgumentException("A cluster needs at least 1 worker, not " + workers);
		}
		this.supervisor.execute(() -> this.slots.scale(workers));
	}

	/**
	 * Disconnects every worker gracefully (no respawns from now on) and runs the callback
	 * once all have exited. Workers still draining after the kill timeout are killed.
	 * @param whenDone called, on the supervisor thread, when no worker is left
	 */
	public void shutDownGracefully(Runnable whenDone) {
		this.supervisor.execute(() -> this.slots.shutDownGracefully(whenDone));
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
		this.supervisor.execute(() -> this.slots.signalAll("TERM"));
		Duration termWait = (this.settings.killTimeout().compareTo(STOP_WAIT) < 0) ? this.settings.killTimeout()
				: STOP_WAIT;
		if (!this.slots.workers().awaitNone(termWait)) {
			this.supervisor.execute(() -> this.slots.signalAll("KILL"));
			if (!this.slots.workers().awaitNone(STOP_WAIT)) {
				logger.warn(LogMessage.format("Workers still running after SIGKILL: %s", workers()));
			}
		}
		this.supervisor.shutdownNow();
		closeQuietly();
	}

	void disconnect(Worker worker) {
		this.supervisor.execute(() -> this.slots.ending().disconnect(worker, WorkerExitCause.DISCONNECTED));
	}

	void leaving(Worker worker) {
		this.supervisor.execute(() -> this.slots.ending().leaving(worker));
	}

	void kill(Worker worker, String signal) {
		this.supervisor.execute(() -> this.slots.ending().signal(worker, signal, WorkerExitCause.KILLED, true));
	}

	@Nullable Worker liveWorker(int id) {
		Worker worker = this.slots.workers().get(id);
		return (worker != null && !worker.isDead()) ? worker : null;
	}

	void online(Worker worker) {
		if (worker.state() == WorkerState.FORKED) {
			worker.state(WorkerState.ONLINE);
			this.listener.online(worker);
		}
	}

	void listening(Worker worker, String address, int port) {
		if (worker.state() != WorkerState.DISCONNECTING) {
			worker.port(port);
			worker.state(WorkerState.LISTENING);
			this.listener.listening(worker, address, port);
		}
	}

	void ready(Worker worker) {
		if (worker.state() != WorkerState.DISCONNECTING) {
			worker.state(WorkerState.READY);
			logger.info(LogMessage.format("Worker %d (pid %d) is ready", worker.id(), worker.pid()));
			this.listener.ready(worker);
			this.slots.ready(worker);
		}
	}

	void message(Worker worker, JsonNode payload) {
		this.listener.message(worker, payload);
	}

	void heartbeat(Worker worker, WorkerLoad load) {
		worker.load(load);
		this.slots.heartbeat(worker, load);
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
