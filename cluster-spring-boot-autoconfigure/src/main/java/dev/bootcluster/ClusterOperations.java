package dev.bootcluster;

import java.util.concurrent.CompletableFuture;

/**
 * What an operator does to a running cluster: read its state, scale it, roll every
 * worker, replace one, see what one is doing. A bean in every role of a cluster: the
 * primary does it itself; a worker asks its primary over the control channel. Each answer is the cluster's state
 * once the primary has applied the change, so a roll or a replacement is under way, not
 * finished. A worker may change the cluster only with
 * {@code management.endpoint.cluster.access=unrestricted}: else its changes fail with a
 * {@link SecurityException} that says so. In a worker, each answer fails with a
 * {@link PrimaryUnreachableException} if the primary does not answer in time or the
 * control channel is closed.
 */
public interface ClusterOperations {

	/**
	 * The cluster's state.
	 * @return the state, or, in a worker, a {@link PrimaryUnreachableException} if the
	 * primary cannot be asked
	 */
	CompletableFuture<ClusterSnapshot> state();

	/**
	 * Changes the number of workers; scaling down drains the newest.
	 * @param workers the number of workers
	 * @return the state, or an {@link IllegalArgumentException} if the number is below
	 * {@code cluster.min-ready} or 1, or over {@code cluster.max-workers}, or, in a worker,
	 * a {@link PrimaryUnreachableException} if the primary cannot be asked
	 */
	CompletableFuture<ClusterSnapshot> scale(int workers);

	/**
	 * Starts a rolling restart of every worker (or joins the one in progress).
	 * @return the state, or, in a worker, a {@link PrimaryUnreachableException} if the
	 * primary cannot be asked
	 */
	CompletableFuture<ClusterSnapshot> restart();

	/**
	 * Gracefully replaces one worker: its successor is ready before it drains.
	 * @param workerId the worker's id
	 * @return the state, or a {@link NoSuchWorkerException} if no live worker has the id,
	 * or, in a worker, a {@link PrimaryUnreachableException} if the primary cannot be asked
	 */
	CompletableFuture<ClusterSnapshot> replace(int workerId);

	/**
	 * Asks one worker for its thread dump: what each of its threads is doing now.
	 * @param workerId the worker's id
	 * @return the dump as text, or a {@link NoSuchWorkerException} if no connected worker
	 * has the id, or, in a worker, a {@link PrimaryUnreachableException} if the primary
	 * cannot be asked
	 */
	CompletableFuture<String> threadDump(int workerId);

}
