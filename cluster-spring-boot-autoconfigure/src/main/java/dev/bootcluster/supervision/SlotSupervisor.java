package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ProcessExit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * Keeps the worker slots filled: forks, reaps, respawns failed workers with a backoff
 * until a slot crash-loops, replaces workers through successors that take over once
 * ready (rolling restarts, recycling), scales, and ends workers that overstay a step. No
 * slot is ever left empty without being reported: a slot either has a worker, waits for
 * a respawn, or is ERRORED. Every method runs on the supervisor thread.
 */
final class SlotSupervisor {

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final RestartPolicy restartPolicy;

	private final WorkerListener listener;

	private final WorkerWatchdog watchdog;

	private final WorkerEnding ending;

	private final WorkerChannels channels;

	private final SupervisorLoop loop;

	private final LongSupplier ticker;

	private final RollingRestart rolling;

	private final LiveWorkers workers = new LiveWorkers();

	private final ExitHistory exits = new ExitHistory();

	private final TreeMap<Integer, WorkerSlot> slots = new TreeMap<>();

	private final Map<Integer, SupervisedWorker> erroredSlots = new ConcurrentHashMap<>();

	private @Nullable WorkerSpawner spawner;

	private boolean stopping;

	private @Nullable Runnable whenAllExited;

	SlotSupervisor(SupervisionSettings settings, WorkerWatchdog watchdog, RestartPolicy restartPolicy,
			WorkerListener listener, WorkerChannels channels, SupervisorLoop loop, LongSupplier ticker) {
		this.restartPolicy = restartPolicy;
		this.listener = listener;
		this.watchdog = watchdog;
		this.ending = new WorkerEnding(settings.killTimeout(), channels, listener, loop);
		this.channels = channels;
		this.loop = loop;
		this.ticker = ticker;
		this.rolling = new RollingRestart(settings.rollingBatchSize());
	}

	LiveWorkers workers() {
		return this.workers;
	}

	int slotCount() {
		return this.slots.size();
	}

	Collection<SupervisedWorker> erroredSlots() {
		return this.erroredSlots.values();
	}

	List<ClusterSnapshot.WorkerExit> exits() {
		return this.exits.recent();
	}

	WorkerEnding ending() {
		return this.ending;
	}

	void start(WorkerSpawner spawner, int workers) {
		this.spawner = spawner;
		addSlots(workers);
	}

	CompletableFuture<Void> restart() {
		logger.info(LogMessage.format("Rolling restart of %d worker(s)", this.slots.size()));
		CompletableFuture<Void> done = this.rolling.begin(List.copyOf(this.slots.keySet()));
		replaceNext();
		return done;
	}

	void replace(SupervisedWorker worker) {
		WorkerSlot slot = this.slots.get(worker.slot());
		if (slot != null && slot.current() == worker) {
			replace(slot, WorkerExitCause.DISCONNECTED);
		}
	}

	/**
	 * Changes the number of slots, retiring crash-looped and empty slots first, then the
	 * newest workers; crash-looped slots that stay are started again.
	 */
	void scale(int workers) {
		if (this.stopping) {
			return;
		}
		if (workers != this.slots.size()) {
			logger.info(LogMessage.format("Scaling from %d to %d worker(s)", this.slots.size(), workers));
		}
		this.slots.values()
			.stream()
			.sorted(Comparator.comparingInt(WorkerSlot::newestId).reversed())
			.limit(Math.max(0, this.slots.size() - workers))
			.toList()
			.forEach(this::retire);
		List.copyOf(this.slots.values()).stream().filter((slot) -> slot.errored() != null).forEach(this::restartErrored);
		addSlots(workers - this.slots.size());
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

	void ready(SupervisedWorker worker) {
		WorkerSlot slot = this.slots.get(worker.slot());
		if (slot != null && slot.successor() == worker) {
			WorkerExitCause cause = slot.successorFor();
			SupervisedWorker replaced = slot.promote();
			if (replaced != null) {
				this.ending.disconnect(replaced, cause);
			}
			finishedReplacing(slot);
		}
	}

	void heartbeat(SupervisedWorker worker, WorkerLoad load) {
		WorkerSlot slot = this.slots.get(worker.slot());
		if (worker.state() == WorkerState.READY && slot != null && slot.current() == worker
				&& slot.successor() == null && !slot.respawnPending() && !this.stopping) {
			String reason = this.watchdog.recycleReason(worker, load);
			if (reason != null) {
				logger.info(LogMessage.format("Recycling worker %d (pid %d) after %s", worker.id(), worker.pid(),
						reason));
				replace(slot, WorkerExitCause.RECYCLED);
			}
		}
	}

	void watch() {
		long now = this.ticker.getAsLong();
		Duration paused = this.watchdog.paused(now);
		if (paused != null) {
			logger.warn(LogMessage.format("The primary did not run for %d ms (stopped or starved): no worker is "
					+ "held to account for its silence meanwhile", paused.toMillis()));
			this.workers.sorted().forEach((worker) -> worker.excuse(paused, now));
		}
		for (SupervisedWorker worker : this.workers.sorted()) {
			if (!worker.isDead() && worker.endedBy() == null) {
				Duration stalled = (paused != null) ? Duration.ZERO : this.channels.stalledFor(worker);
				WorkerWatchdog.Overdue overdue = this.watchdog.overdue(worker, now, stalled,
						this.channels.isThrottled(worker));
				if (overdue != null) {
					logger.warn(LogMessage.format("%s: %s (%s); killing it", worker, overdue.cause().toValue(),
							overdue.reason()));
					this.ending.kill(worker, overdue.cause(), false);
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
			fork(this.slots.get(next + i), null);
		}
	}

	private void retire(WorkerSlot slot) {
		this.slots.remove(slot.number());
		this.erroredSlots.remove(slot.number());
		this.restartPolicy.reset(slot.number());
		slot.respawn(null);
		this.rolling.remove(slot.number());
		for (SupervisedWorker worker : new SupervisedWorker[] { slot.current(), slot.successor() }) {
			if (worker != null) {
				this.ending.disconnect(worker, WorkerExitCause.DISCONNECTED);
			}
		}
		replaceNext(); // the slot's turn, if it had one, goes to the next
	}

	private void restartErrored(WorkerSlot slot) {
		logger.info(LogMessage.format("Starting crash-looped slot %d again", slot.number()));
		this.erroredSlots.remove(slot.number());
		slot.errored(null);
		this.restartPolicy.reset(slot.number());
		fork(slot, null);
	}

	private void replaceNext() {
		for (int number : this.rolling.next()) {
			WorkerSlot slot = this.slots.get(number);
			if (slot != null) {
				replace(slot, WorkerExitCause.DISCONNECTED);
			}
			else {
				this.rolling.remove(number);
			}
		}
	}

	private void replace(WorkerSlot slot, WorkerExitCause cause) {
		if (this.stopping || !isLive(slot)) {
			return;
		}
		if (slot.successor() != null) {
			this.rolling.rollAgain(slot.number()); // a successor launched before this restart
		}
		else if (slot.errored() != null) {
			restartErrored(slot);
		}
		else if (slot.current() == null) {
			finishedReplacing(slot); // being respawned: the new worker is new enough
		}
		else {
			fork(slot, cause);
		}
	}

	private void finishedReplacing(WorkerSlot slot) {
		if (this.rolling.isReplacing(slot.number())) {
			this.rolling.finished(slot.number());
			replaceNext();
		}
	}

	/**
	 * Starts a worker in a slot: its current worker, or, when {@code replacing} is set
	 * and the slot has a current worker, a successor that takes over once ready.
	 */
	private void fork(WorkerSlot slot, @Nullable WorkerExitCause replacing) {
		WorkerSpawner spawner = this.spawner;
		if (this.stopping || spawner == null || !isLive(slot)) {
			return;
		}
		SupervisedWorker previous = (slot.current() != null) ? slot.current() : this.exits.lastOfSlot(slot.number());
		SupervisedWorker worker = spawner.start(slot.number(), this.slots.size(),
				(previous != null) ? previous.restarts() + 1 : 0);
		this.workers.add(worker);
		boolean successor = replacing != null && slot.current() != null;
		if (successor) {
			slot.successor(worker, replacing);
		}
		else {
			slot.current(worker);
		}
		slot.respawn(null); // this launch is the one a pending respawn waited for
		if (worker.endedBy() != WorkerExitCause.LAUNCH_FAILED) {
			logger.info(LogMessage.format("Forked worker %d (pid %d)", worker.id(), worker.pid()));
			this.listener.forked(worker);
		}
		if (!successor) {
			finishedReplacing(slot); // a new current worker is the newest launch
		}
		worker.process().onExit().whenCompleteAsync((exit, failure) -> {
			if (exit != null) {
				exited(worker, exit);
			}
			else {
				logger.error(LogMessage.format("Lost track of %s", worker), failure);
			}
		}, this.loop);
	}

	private void exited(SupervisedWorker worker, ProcessExit exit) {
		worker.exited(exit);
		this.channels.close(worker);
		long now = this.ticker.getAsLong();
		WorkerExitCause cause = this.ending.causeOf(worker, exit);
		this.restartPolicy.ended(worker.slot(), worker.readyFor(now));
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

	private void refill(WorkerSlot slot, SupervisedWorker worker, WorkerExitCause cause) {
		if (slot.successor() == worker) {
			slot.clearSuccessor();
			if (!cause.isFailure()) {
				finishedReplacing(slot);
				return;
			}
			respawnOrGiveUp(slot, worker, slot.successorFor());
		}
		else if (slot.current() == worker) {
			slot.current(null);
			if (slot.successor() != null) {
				slot.promote(); // the successor, still booting, is the slot's worker now
				finishedReplacing(slot);
			}
			else if (!cause.isFailure()) {
				fork(slot, null);
			}
			else {
				respawnOrGiveUp(slot, worker, null);
			}
		}
		// else: a replaced worker that has drained
	}

	/**
	 * Respawns a failed worker (the slot's, or a successor) after the policy's backoff,
	 * or gives up: a slot with no worker left is ERRORED, a failed successor leaves the
	 * current worker serving.
	 */
	private void respawnOrGiveUp(WorkerSlot slot, SupervisedWorker failed, @Nullable WorkerExitCause replacing) {
		RestartPolicy.Decision decision = this.restartPolicy.failed(slot.number(),
				failed.readyFor(this.ticker.getAsLong()));
		Duration delay = decision.delay();
		if (delay == null && replacing != null && slot.current() != null) {
			logger.error(LogMessage.format("Giving up replacing %s: %d replacement(s) failed in a row; it keeps serving",
					slot.current(), decision.quickFailures()));
			finishedReplacing(slot);
		}
		else if (delay == null) {
			logger.error(LogMessage.format("Worker slot %d is in a crash loop (%d failures in a row, last %s): "
					+ "not respawning it until a restart or scaling", slot.number(), decision.quickFailures(), failed));
			slot.errored(failed);
			this.erroredSlots.put(slot.number(), failed);
			finishedReplacing(slot);
			this.listener.errored(failed, decision.quickFailures());
		}
		else {
			logger.info(LogMessage.format("Respawning slot %d in %d ms (failure %d in a row)", slot.number(),
					delay.toMillis(), decision.quickFailures()));
			slot.respawn(this.loop.schedule("the respawn of slot " + slot.number(), delay, () -> {
				if (!isLive(slot) || slot.successor() != null || slot.errored() != null) {
					return; // scaled away, or started again meanwhile
				}
				if (slot.current() == null) {
					fork(slot, null);
				}
				else if (replacing != null) {
					fork(slot, replacing);
				}
			}));
		}
	}

	private boolean isLive(WorkerSlot slot) {
		return this.slots.get(slot.number()) == slot;
	}

	private void beginStopping() {
		this.stopping = true;
		this.slots.values().forEach((slot) -> slot.respawn(null));
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
