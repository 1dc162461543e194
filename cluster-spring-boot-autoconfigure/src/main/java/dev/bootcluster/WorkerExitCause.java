package dev.bootcluster;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a worker's process ended.
 */
public enum WorkerExitCause {

	/**
	 * It exited, or was killed by a signal, without the primary asking.
	 */
	CRASHED,

	/**
	 * Its process could not be launched at all: it never ran.
	 */
	LAUNCH_FAILED,

	/**
	 * It was not ready within {@code cluster.worker.boot-timeout} and was killed.
	 */
	BOOT_TIMEOUT,

	/**
	 * It sent no heartbeat for {@code cluster.worker.heartbeat-timeout}, or took none of
	 * the frames waiting for it for that long (hung or stopped), and was killed.
	 */
	HEARTBEAT_TIMEOUT,

	/**
	 * Its request threads took no new task for {@code cluster.worker.hang-timeout} (all
	 * stuck: a deadlock, a pool that never frees), though it heartbeats, and it was killed.
	 */
	HANG_TIMEOUT,

	/**
	 * It was killed by the primary: the cluster was stopping.
	 */
	KILLED,

	/**
	 * It exited after a graceful disconnect: asked for, a rolling restart or scaling down.
	 */
	DISCONNECTED,

	/**
	 * It was disconnected and did not drain within {@code cluster.worker.kill-timeout}, so
	 * it was killed.
	 */
	KILL_TIMEOUT,

	/**
	 * It was gracefully replaced after {@code cluster.worker.max-requests} or for holding
	 * more than {@code cluster.worker.max-heap} after garbage collection.
	 */
	RECYCLED;

	/**
	 * Whether the worker failed, so that its slot is respawned with a backoff and counts
	 * towards a crash loop.
	 * @return whether it failed
	 */
	public boolean isFailure() {
		return this == CRASHED || this == LAUNCH_FAILED || this == BOOT_TIMEOUT || this == HEARTBEAT_TIMEOUT
				|| this == HANG_TIMEOUT;
	}

	/**
	 * The cause as shown in JSON and metrics, such as {@code crashed} or
	 * {@code heartbeat-timeout}.
	 * @return the lower-case name
	 */
	@JsonValue
	public String toValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
