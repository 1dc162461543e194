package dev.bootcluster;

import java.time.Instant;

/**
 * One worker process of a cluster, as the primary sees it, like Node's {@code Worker}: its
 * id (never reused), pid, state and last reported load. Every worker event carries one.
 * A read-only view: to replace or restart workers, use {@link ClusterOperations}.
 */
public interface Worker {

	/**
	 * The worker's id: 1 for the first worker of the primary, never reused.
	 * @return the id
	 */
	int id();

	/**
	 * The worker's process id.
	 * @return the pid
	 */
	long pid();

	/**
	 * The worker's current state.
	 * @return the state
	 */
	WorkerState state();

	/**
	 * When the worker's process was started.
	 * @return the start time
	 */
	Instant startedAt();

	/**
	 * How many times the primary had to respawn this worker's slot before starting it.
	 * @return the slot's restart count
	 */
	int restarts();

	/**
	 * The load figures from the worker's last heartbeat.
	 * @return the last reported load
	 */
	WorkerLoad load();

	/**
	 * Whether the worker's process has ended.
	 * @return {@code true} once the worker has exited
	 */
	default boolean isDead() {
		return state() == WorkerState.DEAD;
	}

	/**
	 * Whether the worker ended because the primary disconnected or killed it, as Node's
	 * {@code worker.exitedAfterDisconnect}: {@code false} for a crash.
	 * @return {@code true} if the exit was asked for
	 */
	boolean exitedAfterDisconnect();

}
