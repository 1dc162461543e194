package dev.bootcluster.primary;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.Cluster;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.socket.ChildProcess;
import dev.bootcluster.socket.ProcessExit;
import dev.bootcluster.socket.SharedSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * The supervisor of a cluster, like Node's {@code cluster} in the primary: binds the
 * shared socket, forks the workers, follows each through its lifecycle over the control
 * channel, respawns those that exit unexpectedly, and stops them all gracefully.
 * <p>
 * Every change of state happens on one supervisor thread, so listeners see the events of
 * all workers in a single order.
 */
public final class ClusterPrimary {

	private static final int EXITS_KEPT = 20;

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final int workerCount;

	private final Duration killTimeout;

	private final WorkerLauncher launcher;

	private final RestartPolicy restartPolicy;

	private final WorkerListener listener;

	private final ScheduledExecutorService supervisor;

	private final AtomicInteger lastId = new AtomicInteger();

	private final Map<Integer, Worker> workers = new ConcurrentHashMap<>();

	private final WorkerChannels channels;

	private final Deque<ClusterSnapshot.WorkerExit> exits = new ArrayDeque<>();

	private final List<ScheduledFuture<?>> respawns = new ArrayList<>();

	private volatile @Nullable SharedSocket socket;

	private volatile @Nullable ControlServer control;

	private volatile boolean stopping;

	private @Nullable Runnable whenAllExited;

	/**
	 * Creates a primary; nothing is bound or started before {@link #start}.
	 * @param workerCount how many workers to run
	 * @param killTimeout how long a disconnecting worker may drain before it is killed
	 * @param launcher builds each worker's command line
	 * @param restartPolicy paces respawns
	 * @param listener told of every lifecycle step
	 */
	public ClusterPrimary(int workerCount, Duration killTimeout, WorkerLauncher launcher, RestartPolicy restartPolicy,
			WorkerListener listener) {
		this.workerCount = workerCount;
		this.killTimeout = killTimeout;
		this.launcher = launcher;
		this.restartPolicy = restartPolicy;
		this.listener = new GuardedWorkerListener(listener);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "cluster-primary");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		this.supervisor = executor;
		this.channels = new WorkerChannels(this, executor);
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
		SharedSocket socket = SharedSocket.bind(address, port, backlog);
		try {
			this.control = ControlServer.start(this.channels);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
		this.socket = socket;
		logger.info(LogMessage.format("Cluster primary (pid %d) shares port %d with %d worker(s) in %s mode",
				ProcessHandle.current().pid(), socket.port(), this.workerCount, socket.mode()));
		this.supervisor.execute(() -> {
			for (int slot = 1; slot <= this.workerCount; slot++) {
				fork(slot, 0);
			}
		});
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
	 * How workers share the socket ({@code inherit}).
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
		return this.workers.values().stream().sorted(Comparator.comparingInt(Worker::id)).toList();
	}

	/**
	 * A live worker.
	 * @param id the worker's id
	 * @return the worker, or empty if there is none with that id or it has exited
	 */
	public Optional<Worker> worker(int id) {
		return Optional.ofNullable(this.workers.get(id));
	}

	/**
	 * What the primary knows of the cluster now.
	 * @return the snapshot
	 */
	public ClusterSnapshot snapshot() {
		ProcessHandle self = ProcessHandle.current();
		Duration uptime = self.info().startInstant().map((start) -> Duration.between(start, Instant.now()))
				.orElse(Duration.ZERO);
		List<ClusterSnapshot.WorkerSummary> summaries = workers().stream().map(ClusterPrimary::summary).toList();
		List<ClusterSnapshot.WorkerExit> recentExits;
		synchronized (this.exits) {
			recentExits = List.copyOf(this.exits);
		}
		String mode = mode();
		return new ClusterSnapshot((mode != null) ? mode : "none", port(),
				new ClusterSnapshot.PrimaryProcess(self.pid(), uptime), summaries, recentExits);
	}

	private static ClusterSnapshot.WorkerSummary summary(Worker worker) {
		WorkerLoad load = worker.load();
		return new ClusterSnapshot.WorkerSummary(worker.id(), worker.pid(), worker.state(), worker.startedAt(),
				load.requests(), load.activeRequests(), load.heapUsed(), worker.restarts());
	}

	/**
	 * Disconnects every worker gracefully (no respawns from now on) and runs the callback
	 * once all have exited. Workers still draining after the kill timeout are killed.
	 * @param whenDone called, on the supervisor thread, when no worker is left
	 */
	public void shutDownGracefully(Runnable whenDone) {
		this.supervisor.execute(() -> {
			beginStopping();
			if (this.workers.isEmpty()) {
				whenDone.run();
				return;
			}
			this.whenAllExited = whenDone;
			this.workers.values().forEach(this::beginDisconnect);
		});
	}

	/**
	 * Kills the workers that are left, waits for them to be reaped, and releases the socket
	 * and the control channel.
	 */
	public synchronized void stop() {
		if (this.supervisor.isShutdown()) {
			return;
		}
		this.stopping = true;
		this.supervisor.execute(() -> {
			beginStopping();
			this.workers.values().forEach((worker) -> signal(worker, "KILL"));
		});
		awaitNoWorkers(STOP_WAIT);
		this.supervisor.shutdownNow();
		closeQuietly();
	}

	private void beginStopping() {
		this.stopping = true;
		this.respawns.forEach((respawn) -> respawn.cancel(false));
		this.respawns.clear();
	}

	private void awaitNoWorkers(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.workers) {
			while (!this.workers.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					logger.warn(LogMessage.format("Workers still running after %s: %s", timeout, workers()));
					return;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.workers, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
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

	void disconnect(Worker worker) {
		this.supervisor.execute(() -> beginDisconnect(worker));
	}

	void kill(Worker worker, String signal) {
		this.supervisor.execute(() -> {
			if (!worker.isDead()) {
				worker.markKilled();
				signal(worker, signal);
			}
		});
	}

	private void fork(int slot, int restarts) {
		if (this.stopping) {
			return;
		}
		SharedSocket socket = this.socket;
		ControlServer control = this.control;
		if (socket == null || control == null) {
			return;
		}
		int id = this.lastId.incrementAndGet();
		String token = ControlServer.newToken();
		WorkerCommand command = this.launcher.command(id,
				Map.of(Cluster.WORKER_ID_VARIABLE, Integer.toString(id), Cluster.CONTROL_SOCKET_VARIABLE,
						control.address().toString(), Cluster.CONTROL_TOKEN_VARIABLE, token));
		control.expect(id, token);
		ChildProcess process;
		try {
			process = socket.spawn(command.command(), command.environment());
		}
		catch (IOException ex) {
			control.forget(id);
			logger.error(LogMessage.format("Failed to start worker %d with %s", id, command.command()), ex);
			scheduleRespawn(slot, restarts, Duration.ZERO);
			return;
		}
		Worker worker = new Worker(this, id, slot, restarts, process, Instant.now());
		this.workers.put(id, worker);
		logger.info(LogMessage.format("Forked worker %d (pid %d)", id, worker.pid()));
		this.listener.forked(worker);
		Thread reaper = new Thread(() -> reap(worker), "cluster-reaper-" + id);
		reaper.setDaemon(true);
		reaper.start();
	}

	private void reap(Worker worker) {
		ProcessExit exit;
		try {
			exit = worker.process().waitFor();
		}
		catch (IOException ex) {
			logger.error(LogMessage.format("Lost track of %s", worker), ex);
			return;
		}
		this.supervisor.execute(() -> exited(worker, exit));
	}

	private void exited(Worker worker, ProcessExit exit) {
		worker.exited(exit);
		ControlServer control = this.control;
		if (control != null) {
			control.forget(worker.id());
		}
		this.channels.close(worker);
		WorkerExitCause cause = worker.wasKilled() ? WorkerExitCause.KILLED
				: worker.exitedAfterDisconnect() ? WorkerExitCause.DISCONNECTED : WorkerExitCause.CRASHED;
		recordExit(new ClusterSnapshot.WorkerExit(worker.id(), worker.pid(), exit.code(), exit.signal(),
				worker.exitedAfterDisconnect(), cause, Instant.now()));
		synchronized (this.workers) {
			this.workers.remove(worker.id());
			this.workers.notifyAll();
		}
		if (cause == WorkerExitCause.CRASHED) {
			logger.warn(LogMessage.format("Worker %d (pid %d) exited unexpectedly with %s", worker.id(), worker.pid(),
					exit));
		}
		else {
			logger.info(LogMessage.format("Worker %d (pid %d) exited with %s (%s)", worker.id(), worker.pid(), exit,
					cause.toValue()));
		}
		this.listener.exited(worker, exit, cause);
		if (!this.stopping && cause == WorkerExitCause.CRASHED) {
			Duration uptime = Duration.between(worker.startedAt(), Instant.now());
			scheduleRespawn(worker.slot(), worker.restarts() + 1, uptime);
		}
		Runnable whenAllExited = this.whenAllExited;
		if (this.stopping && this.workers.isEmpty() && whenAllExited != null) {
			this.whenAllExited = null;
			whenAllExited.run();
		}
	}

	private void recordExit(ClusterSnapshot.WorkerExit exit) {
		synchronized (this.exits) {
			if (this.exits.size() == EXITS_KEPT) {
				this.exits.removeFirst();
			}
			this.exits.addLast(exit);
		}
	}

	private void scheduleRespawn(int slot, int restarts, Duration uptime) {
		Duration delay = this.restartPolicy.delayAfterExit(slot, uptime);
		this.respawns.removeIf(ScheduledFuture::isDone);
		this.respawns.add(this.supervisor.schedule(() -> fork(slot, restarts), delay.toMillis(), TimeUnit.MILLISECONDS));
	}

	private void beginDisconnect(Worker worker) {
		if (worker.isDead() || worker.state() == WorkerState.DISCONNECTING) {
			return;
		}
		worker.markDisconnecting();
		worker.state(WorkerState.DISCONNECTING);
		this.listener.disconnecting(worker);
		if (!this.channels.send(worker, new ControlMessage.Disconnect())) {
			// not connected yet (still booting): its shutdown hook drains it just the same
			signal(worker, "TERM");
		}
		this.supervisor.schedule(() -> {
			if (!worker.isDead()) {
				logger.warn(LogMessage.format("%s did not drain within %s; killing it", worker, this.killTimeout));
				worker.markKilled();
				signal(worker, "KILL");
			}
		}, this.killTimeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void signal(Worker worker, String signal) {
		try {
			worker.process().signal(signal);
		}
		catch (IOException ex) {
			logger.warn(LogMessage.format("Failed to send SIG%s to %s", signal, worker), ex);
		}
	}

	@Nullable Worker liveWorker(int id) {
		Worker worker = this.workers.get(id);
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
			worker.state(WorkerState.LISTENING);
			this.listener.listening(worker, address, port);
		}
	}

	void ready(Worker worker) {
		if (worker.state() != WorkerState.DISCONNECTING) {
			worker.state(WorkerState.READY);
			logger.info(LogMessage.format("Worker %d (pid %d) is ready", worker.id(), worker.pid()));
			this.listener.ready(worker);
		}
	}

}
