package dev.bootcluster.primary;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Decides when a worker has overstayed a step (boot, silence) or served its time (max
 * requests, max heap). It only decides; the supervisor acts.
 */
final class WorkerWatchdog {

	/** Heartbeats in a row over max-heap before a worker is recycled: one may catch a peak. */
	static final int HEAP_HEARTBEATS = 3;

	private final SupervisionSettings settings;

	WorkerWatchdog(SupervisionSettings settings) {
		this.settings = settings;
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
	 * Whether a worker has overstayed a step.
	 * @param worker a live worker that is not disconnecting
	 * @return the timeout it ran into, or {@code null}
	 */
	@Nullable WorkerExitCause overdue(Worker worker, Instant now) {
		WorkerState state = worker.state();
		if (state != WorkerState.READY
				&& Duration.between(worker.startedAt(), now).compareTo(this.settings.bootTimeout()) > 0) {
			return WorkerExitCause.BOOT_TIMEOUT;
		}
		boolean connected = state == WorkerState.ONLINE || state == WorkerState.LISTENING
				|| state == WorkerState.READY;
		if (connected && worker.silence().compareTo(this.settings.heartbeatTimeout()) > 0) {
			return WorkerExitCause.HEARTBEAT_TIMEOUT;
		}
		return null;
	}

	/**
	 * Whether a ready worker should be recycled after its latest heartbeat.
	 * @param worker the worker
	 * @param load its latest load
	 * @return why it should be replaced, or {@code null}
	 */
	@Nullable String recycleReason(Worker worker, WorkerLoad load) {
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

}
