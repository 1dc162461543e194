package dev.bootcluster.supervision;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ProcessExit;
import tools.jackson.databind.JsonNode;

/**
 * Told of every step of every worker's lifecycle, on the primary's supervisor thread, in
 * order. The bridge to Spring's application events implements it; every method does
 * nothing unless overridden.
 */
interface WorkerListener {

	/**
	 * The worker's process was started.
	 * @param worker the worker
	 */
	default void forked(SupervisedWorker worker) {
	}

	/**
	 * The worker connected to the control channel.
	 * @param worker the worker
	 */
	default void online(SupervisedWorker worker) {
	}

	/**
	 * The worker's web server accepts on the shared socket.
	 * @param worker the worker
	 * @param address the address the worker reports
	 * @param port the port the worker reports
	 */
	default void listening(SupervisedWorker worker, String address, int port) {
	}

	/**
	 * The worker's application is ready.
	 * @param worker the worker
	 */
	default void ready(SupervisedWorker worker) {
	}

	/**
	 * The worker began to disconnect (drain).
	 * @param worker the worker
	 */
	default void disconnecting(SupervisedWorker worker) {
	}

	/**
	 * The worker's process ended.
	 * @param worker the worker
	 * @param exit its exit code or signal
	 * @param cause why it ended
	 */
	default void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
	}

	/**
	 * A worker sent the primary a message.
	 * @param worker the worker
	 * @param payload the message, as JSON
	 */
	default void message(SupervisedWorker worker, JsonNode payload) {
	}

	/**
	 * A worker's slot went into a crash loop and will not be respawned.
	 * @param lastWorker the slot's last worker, dead
	 * @param failures the quick failures in a row
	 */
	default void errored(SupervisedWorker lastWorker, int failures) {
	}

}
