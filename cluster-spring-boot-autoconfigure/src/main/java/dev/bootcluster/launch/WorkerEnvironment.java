package dev.bootcluster.launch;

/**
 * The environment variables a primary gives the processes it launches, read by the
 * starter in those processes. {@code CLUSTER_WORKER_ID}, the one an application may read
 * too, is {@link dev.bootcluster.Cluster#WORKER_ID_VARIABLE}.
 */
public final class WorkerEnvironment {

	/**
	 * The environment variable naming the primary's control socket; set by the primary,
	 * read by the worker.
	 */
	public static final String CONTROL_SOCKET_VARIABLE = "CLUSTER_CONTROL_SOCKET";

	/**
	 * The environment variable holding a worker's secret for the control channel; set by
	 * the primary, read by the worker.
	 */
	public static final String CONTROL_TOKEN_VARIABLE = "CLUSTER_CONTROL_TOKEN";

	/**
	 * The environment variable holding the logger levels set for the whole cluster while
	 * it runs ({@code POST /actuator/loggers/{name}} on the primary), as
	 * {@code name=LEVEL} pairs, comma-separated: a worker forked later starts with them.
	 */
	public static final String LOGGER_LEVELS_VARIABLE = "CLUSTER_LOGGER_LEVELS";

	/**
	 * The environment variable that marks the training run for the workers' AOT cache,
	 * holding the pid of the primary that started it: the application runs standalone,
	 * skips the database's initialization, and ends when that primary ends.
	 */
	public static final String TRAINING_VARIABLE = "CLUSTER_TRAINING";

	private WorkerEnvironment() {
	}

}
