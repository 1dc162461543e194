package dev.bootcluster.primary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.Cluster;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.socket.ChildProcess;
import dev.bootcluster.socket.ProcessExit;
import dev.bootcluster.socket.SharedSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * Keeps the worker slots filled: forks, reaps, respawns failed workers with a backoff
 * until a slot crash-loops, replaces workers through successors that take over once
 * ready (rolling restarts, recycling), scales, and ends workers that overstay a step.
 * Every method runs on the supervisor thread.
 */
final class SlotSupervisor {

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final ClusterPrimary primary;

	private final WorkerLauncher launcher;

	private final RestartPolicy restartPolicy;

	private final WorkerListener listener;

	private final WorkerWatchdog watchdog;

	private final WorkerEnding ending;

	private final WorkerChannels channels;

	private final ScheduledExecutorService executor;

	private final RollingRestart rolling;

	private final LiveWorkers workers = new LiveWorkers();

	private final ExitHistory exits = new ExitHistory();

	private final TreeMap<Integer, WorkerSlot> slots = new TreeMap<>();

	private final Map<Integer, Worker> erroredSlots = new ConcurrentHashMap<>();

	private final List<ScheduledFuture<?>> respawns = new ArrayList<>();

	private final AtomicInteger lastId = new AtomicInteger();

	private @Nullable SharedSocket socket;

	private @Nullable ControlServer control;

	private boolean stopping;

	private @Nullable Runnable whenAllExited;

	SlotSupervisor(ClusterPrimary primary, SupervisionSettings settings, WorkerLauncher launcher,
			RestartPolicy restartPolicy, WorkerListener listener, WorkerChannels channels,
			ScheduledExecutorService executor) {
		this.primary = primary;
		this.launcher = launcher;
		this.restartPolicy = restartPolicy;
		this.listener = listener;
		this.watchdog = new WorkerWatchdog(settings);
		this.ending = new WorkerEnding(settings.killTimeout(), channels, listener, executor);
		this.channels = channels;
		this.executor = executor;
		this.rolling = new RollingRestart(settings.rollingBatchSize());
	}

	LiveWorkers workers() {
		return this.workers;
	}

	Collection<Worker> erroredSlots() {
		return this.erroredSlots.values();
	}

	List<ClusterSnapshot.WorkerExit> exits() {
		return this.exits.recent();
	}

	WorkerEnding ending() {
		return this.ending;
	}

	void start(SharedSocket socket, ControlServer control, int workers) {
		this.socket = socket;
		this.control = control;
		addSlots(workers);
	}

	CompletableFuture<Void> restart() {
		logger.info(LogMessage.format("Rolling restart of %d worker(s)", this.slots.size()));
		CompletableFuture<Void> done = this.rolling.begin(List.copyOf(this.slots.keySet()));
		replaceNext();
		return done;
	}

	void replace(Worker worker) {
		if (isCurrent(worker)) {
			replace(worker.slot(), WorkerExitCause.DISCONNECTED);
		}
	}

	void scale(int workers) {
		if (this.stopping || workers == this.slots.size()) {
			return;
		}
		logger.info(LogMessage.format("Scaling from %d to %d worker(s)", this.slots.size(), workers));
		addSlots(workers - this.slots.size());
		this.slots.values()
			.stream()
			.sorted(Comparator.comparingInt(WorkerSlot::newestId).reversed())
			.limit(Math.max(0, this.slots.size() - workers))
			.toList()
			.forEach(this::retire);
	}

	void shutDownGracefully(Runnable whenDone) {
		beginStopping();
		this.whenAllExited = whenDone;
		this.workers.sorted().forEach((worker) -> this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED));
		runIfAllExited();
	}

	void signalAll(String signal) {
		beginStopping();
		this.workers.sorted().forEach((worker) -> this.ending.signal(worker, signal, WorkerExitCause.KILLED, true));
	}

	void ready(Worker worker) {
		WorkerSlot slot = this.slots.get(worker.slot());
		if (slot != null && slot.successor() == worker) {
			WorkerExitCause cause = slot.successorFor();
			Worker replaced = slot.promote();
			if (replaced != null) {
				this.ending.disconnect(replaced, cause);
			}
			finishedReplacing(slot.number());
		}
	}

	void heartbeat(Worker worker, WorkerLoad load) {
		WorkerSlot slot = this.slots.get(worker.slot());
		if (worker.state() == WorkerState.READY && slot != null && slot.current() == worker
				&& slot.successor() == null && !this.stopping) {
			String reason = this.watchdog.recycleReason(worker, load);
			if (reason != null) {
				logger.info(LogMessage.format("Recycling worker %d (pid %d) after %s", worker.id(), worker.pid(),
						reason));
				replace(worker.slot(), WorkerExitCause.RECYCLED);
			}
		}
	}

	void watch() {
		Instant now = Instant.now();
		for (Worker worker : this.workers.sorted()) {
			if (!worker.isDead() && worker.endedBy() == null) {
				WorkerExitCause overdue = this.watchdog.overdue(worker, now);
				if (overdue != null) {
					logger.warn(LogMessage.format("%s: %s; killing it", worker, overdue.toValue()));
					this.ending.signal(worker, "KILL", overdue, false);
				}
			}
		}
	}

	private void addSlots(int count) {
		int next = this.slots.isEmpty() ? 1 : this.slots.lastKey() + 1;
		for (int i = 0; i < count; i++) {
			this.slots.put(next + i, new WorkerSlot(next + i));
		}
		for (int i = 0; i < count; i++) { // every slot counted, so each worker is sized for its share
			fork(next + i, null);
		}
	}

	private void retire(WorkerSlot slot) {
		this.slots.remove(slot.number());
		this.erroredSlots.remove(slot.number());
		this.rolling.finished(slot.number());
		for (Worker worker : new Worker[] { slot.current(), slot.successor() }) {
			if (worker != null) {
				this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED);
			}
		}
	}

	private void replaceNext() {
		this.rolling.next().forEach((slot) -> replace(slot, WorkerExitCause.DISCONNECTED));
	}

	private void replace(int number, WorkerExitCause cause) {
		WorkerSlot slot = this.slots.get(number);
		if (this.stopping || slot == null || slot.successor() != null) {
			return; // gone, or a replacement is already under way
		}
		if (slot.errored() != null) {
			this.erroredSlots.remove(number);
			this.restartPolicy.reset(number);
		}
		else if (slot.current() == null) {
			finishedReplacing(number); // being respawned: the new worker is new enough
			return;
		}
		fork(number, cause);
	}

	private void finishedReplacing(int slot) {
		if (this.rolling.isReplacing(slot)) {
			this.rolling.finished(slot);
			replaceNext();
		}
	}

	/**
	 * Starts a worker in a slot: its current worker, or, when {@code replacing} is set, a
	 * successor that takes over once ready.
	 */
	private void fork(int number, @Nullable WorkerExitCause replacing) {
		SharedSocket socket = this.socket;
		ControlServer control = this.control;
		WorkerSlot slot = this.slots.get(number);
		if (this.stopping || socket == null || control == null || slot == null) {
			return;
		}
		int id = this.lastId.incrementAndGet();
		String token = ControlServer.newToken();
		WorkerCommand command = this.launcher.command(id, this.slots.size(),
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
			Duration delay = this.restartPolicy.failed(number, Instant.now()).delay();
			if (delay == null) {
				logger.error(LogMessage.format("Giving up starting a worker in slot %d", number));
				finishedReplacing(number);
				return;
			}
			this.respawns.add(this.executor.schedule(() -> fork(number, replacing), delay.toMillis(),
					TimeUnit.MILLISECONDS));
			return;
		}
		Worker previous = (slot.current() != null) ? slot.current() : this.exits.lastOfSlot(number);
		int restarts = (previous != null) ? previous.restarts() + 1 : 0;
		Worker worker = new Worker(this.primary, id, number, restarts, process, Instant.now(),
				this.watchdog.requestLimit());
		this.workers.add(worker);
		if (replacing != null) {
			slot.successor(worker, replacing);
		}
		else {
			slot.current(worker);
		}
		logger.info(LogMessage.format("Forked worker %d (pid %d)", id, worker.pid()));
		this.listener.forked(worker);
		process.onExit().whenCompleteAsync((exit, failure) -> {
			if (exit != null) {
				exited(worker, exit);
			}
			else {
				logger.error(LogMessage.format("Lost track of %s", worker), failure);
			}
		}, this.executor);
	}

	private void exited(Worker worker, ProcessExit exit) {
		worker.exited(exit);
		ControlServer control = this.control;
		if (control != null) {
			control.forget(worker.id());
		}
		this.channels.close(worker);
		WorkerExitCause cause = (worker.endedBy() != null) ? worker.endedBy() : WorkerExitCause.CRASHED;
		this.exits.record(worker, exit, cause);
		this.workers.remove(worker);
		LogMessage message = LogMessage.format("Worker %d (pid %d) exited with %s (%s)", worker.id(), worker.pid(),
				exit, cause.toValue());
		if (cause.isFailure()) {
			logger.warn(message);
		}
		else {
			logger.info(message);
		}
		this.listener.exited(worker, exit, cause);
		WorkerSlot slot = this.slots.get(worker.slot());
		if (!this.stopping && slot != null) {
			refill(slot, worker, cause);
		}
		runIfAllExited();
	}

	private void refill(WorkerSlot slot, Worker worker, WorkerExitCause cause) {
		boolean wasSuccessor = slot.successor() == worker;
		if (wasSuccessor) {
			slot.clearSuccessor();
		}
		else if (slot.current() == worker) {
			slot.current(null);
			if (slot.successor() != null) {
				return; // the successor takes over when ready
			}
		}
		else {
			return; // a replaced worker that has drained
		}
		if (!cause.isFailure()) {
			if (wasSuccessor) {
				finishedReplacing(slot.number());
			}
			else {
				fork(slot.number(), null);
			}
			return;
		}
		RestartPolicy.Decision decision = this.restartPolicy.failed(slot.number(), worker.startedAt());
		Duration delay = decision.delay();
		if (delay == null) {
			crashLoop(slot, worker, decision.quickFailures(), wasSuccessor);
			return;
		}
		WorkerExitCause replacing = slot.successorFor();
		this.respawns.removeIf(ScheduledFuture::isDone);
		this.respawns.add(this.executor.schedule(() -> {
			if (wasSuccessor) {
				replace(slot.number(), replacing);
			}
			else if (slot.current() == null && this.slots.get(slot.number()) == slot) {
				fork(slot.number(), null);
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS));
	}

	private void crashLoop(WorkerSlot slot, Worker worker, int failures, boolean wasSuccessor) {
		if (wasSuccessor && slot.current() != null) {
			logger.error(LogMessage.format("Giving up replacing %s: %d replacement(s) failed in a row; it keeps serving",
					slot.current(), failures));
			finishedReplacing(slot.number());
			return;
		}
		logger.error(LogMessage.format("Worker slot %d is in a crash loop (%d quick failures in a row, last %s): "
				+ "not respawning it until a restart or scaling", slot.number(), failures, worker));
		slot.errored(worker);
		this.erroredSlots.put(slot.number(), worker);
		finishedReplacing(slot.number());
		this.listener.errored(worker, failures);
	}

	private boolean isCurrent(Worker worker) {
		WorkerSlot slot = this.slots.get(worker.slot());
		return slot != null && slot.current() == worker;
	}

	private void beginStopping() {
		this.stopping = true;
		this.respawns.forEach((respawn) -> respawn.cancel(false));
		this.respawns.clear();
		this.rolling.cancel();
	}

	private void runIfAllExited() {
		Runnable whenAllExited = this.whenAllExited;
		if (this.stopping && this.workers.isEmpty() && whenAllExited != null) {
			this.whenAllExited = null;
			whenAllExited.run();
		}
	}

}
