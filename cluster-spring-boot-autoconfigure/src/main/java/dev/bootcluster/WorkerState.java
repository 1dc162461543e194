package dev.bootcluster;

/**
 * The lifecycle of one worker, in the order a worker goes through it.
 */
public enum WorkerState {

	/**
	 * The process was started; it has not reached the primary yet.
	 */
	FORKED,

	/**
	 * The worker connected to the primary's control channel.
	 */
	ONLINE,

	/**
	 * The worker's web server accepts on the shared socket.
	 */
	LISTENING,

	/**
	 * The application reported itself ready.
	 */
	READY,

	/**
	 * The worker is draining: it accepts no new connection and finishes those it has.
	 */
	DISCONNECTING,

	/**
	 * The process has exited.
	 */
	DEAD,
	/**
	 * Not a worker but its slot: its workers kept failing soon after their start
	 * ({@code cluster.restart.max-restarts}), so the slot is no longer respawned until a
	 * restart or scaling.
	 */
	ERRORED

}
