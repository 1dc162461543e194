package dev.bootcluster;

/**
 * The part a JVM plays in a cluster.
 *
 * @see Cluster
 */
public enum ClusterRole {

	/**
	 * The supervisor: binds the shared socket, runs the workers, serves none of the
	 * application's routes.
	 */
	PRIMARY,

	/**
	 * A JVM started by the primary, serving the application on the shared socket.
	 */
	WORKER,

	/**
	 * No cluster: {@code cluster.workers} is absent or 0, and the application runs exactly as
	 * it would without the starter.
	 */
	STANDALONE

}
