package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * Decides when a worker has overstayed a step (boot, silence) or served its time (max
 * requests, max heap). It only decides; the supervisor acts.
 */
final class WorkerWatchdog {

	/** Heartbeats in a row over max-heap before a worker is recycled: one may catch a peak. */
	static final int HEAP_HEARTBEATS = 3;

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

	private static final Duration SHORTEST_PAUSE = Duration.ofMillis(500);

	private final SupervisionSettings settings;

	// a gap between two checks longer than this means that the primary itself did not run
	private final Duration pause;

	private long lastCheckNanos;

	WorkerWatchdog(SupervisionSettings settings) {
		this.settings = settings;
		Duration half = settings.heartbeatTimeout().dividedBy(2);
		Duration pause = (half.compareTo(LONGEST_PAUSE) < 0) ? half : LONGEST_PAUSE;
		this.pause = (pause.compareTo(SHORTEST_PAUSE) > 0) ? pause : SHORTEST_PAUSE;
	}

	/**
	 * Whether the primary itself did not run since the last check (it was stopped, or
	 * starved), for longer than half the heartbeat timeout (from 0.5 to 1 s), so that no
	 * worker may be held to account for the silence meanwhile.
	 * @param nowNanos now, as {@link System#nanoTime()}
	 * @return how long since the last check if the primary was paused, else {@code null}
	 */
	@Nullable Duration paused(long nowNanos) {
		long last = this.lastCheckNanos;
		this.lastCheckNanos = nowNanos;
		Duration gap = Duration.ofNanos(nowNanos - last);
		return (last != 0 && gap.compareTo(this.pause) > 0) ? gap : null;
	}

	/**
	 * The request limit of a new worker: max-requests plus a random share of the jitter.
	 * @return the limit, or 0 for none
	 */
	long requestLimit() {
		if (this.settings.maxRequests() <= 0) {
			return 0;
		}
		long jitter = this.settings.maxRequestsJitter();
		return this.settings.maxRequests() + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
	}

	/**
	 * Whether a worker has overstayed a step, on the monotonic clock: it is not ready
	 * within the boot timeout, or it is connected and has been unheard for the heartbeat
	 * timeout (unless its frames are only waiting for the primary), or frames have waited
	 * that long for it without it taking one (it is not reading), or it is ready and its
	 * last heartbeat said its request threads had taken no new task for the hang timeout.
	 * @param worker a live worker that is not disconnecting
	 * @param nowNanos now, as {@link System#nanoTime()}
	 * @param stalled how long frames have waited for the worker without it taking one
	 * @param throttled whether the worker's own frames wait for the primary to read them
	 * @return the timeout it ran into, or {@code null}
	 */
	@Nullable Overdue overdue(SupervisedWorker worker, long nowNanos, Duration stalled, boolean throttled) {
		WorkerState state = worker.state();
		Duration bootTimeout = this.settings.bootTimeout();
		if (state != WorkerState.READY && Duration.ofNanos(nowNanos - worker.startedNanos()).compareTo(bootTimeout) > 0) {
			return new Overdue(WorkerExitCause.BOOT_TIMEOUT, "not ready within " + bootTimeout.toMillis() + " ms");
		}
		Duration heartbeatTimeout = this.settings.heartbeatTimeout();
		boolean connected = state == WorkerState.ONLINE || state == WorkerState.LISTENING
				|| state == WorkerState.READY;
		Duration silence = worker.silence(nowNanos);
		if (connected && !throttled && silence.compareTo(heartbeatTimeout) > 0) {
			return new Overdue(WorkerExitCause.HEARTBEAT_TIMEOUT, "unheard for " + silence.toMillis() + " ms");
		}
		if (stalled.compareTo(heartbeatTimeout) > 0) {
			return new Overdue(WorkerExitCause.HEARTBEAT_TIMEOUT,
					"not reading its control channel: no frame taken for " + stalled.toMillis() + " ms");
		}
		Duration hangTimeout = this.settings.hangTimeout();
		long requestsStalled = worker.load().requestThreadsStalledMillis();
		if (state == WorkerState.READY && !hangTimeout.isZero() && requestsStalled > hangTimeout.toMillis()) {
			return new Overdue(WorkerExitCause.HANG_TIMEOUT,
					"its request threads took no new task for " + requestsStalled + " ms");
		}
		return null;
	}

	/**
	 * Whether a ready worker should be recycled after its latest heartbeat.
	 * @param worker the worker
	 * @param load its latest load
	 * @return why it should be replaced, or {@code null}
	 */
	@Nullable String recycleReason(SupervisedWorker worker, WorkerLoad load) {
		if (worker.requestLimit() > 0 && load.requests() >= worker.requestLimit()) {
			return load.requests() + " requests (max " + worker.requestLimit() + ")";
		}
		long maxHeap = this.settings.maxHeapBytes();
		boolean over = maxHeap > 0 && load.heapAfterGc() > maxHeap;
		if (worker.heapOverLimit(over) >= HEAP_HEARTBEATS) {
			return "heap after GC " + (load.heapAfterGc() >> 20) + " MiB over " + (maxHeap >> 20) + " MiB";
		}
		return null;
	}

	/**
	 * A timeout a worker ran into.
	 *
	 * @param cause the cause its exit will have
	 * @param reason what it overstayed, for the log
	 */
	record Overdue(WorkerExitCause cause, String reason) {
	}

}
