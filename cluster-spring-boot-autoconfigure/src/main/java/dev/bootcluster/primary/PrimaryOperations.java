package dev.bootcluster.primary;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The primary's own {@link ClusterOperations}: each change is queued on the supervisor
 * thread and the answer is a snapshot taken on that thread right after it, so it shows
 * the change applied. Never blocks, so the supervisor thread itself may call it when a
 * worker asks.
 */
final class PrimaryOperations implements ClusterOperations {

	private final ClusterPrimary primary;

	private final Executor supervisor;

	private final int minReady;

	PrimaryOperations(ClusterPrimary primary, Executor supervisor, int minReady) {
		this.primary = primary;
		this.supervisor = supervisor;
		this.minReady = minReady;
	}

	@Override
	public CompletableFuture<ClusterSnapshot> state() {
		return CompletableFuture.completedFuture(this.primary.snapshot());
	}

	@Override
	public CompletableFuture<ClusterSnapshot> scale(int workers) {
		int least = Math.max(1, this.minReady);
		if (workers < least) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("Cannot scale to " + workers
					+ " worker(s): the cluster needs at least " + least + " (cluster.min-ready is " + this.minReady + ")"));
		}
		this.primary.scale(workers);
		return settled();
	}

	@Override
	public CompletableFuture<ClusterSnapshot> restart() {
		this.primary.restart();
		return settled();
	}

	@Override
	public CompletableFuture<ClusterSnapshot> replace(int workerId) {
		return this.primary.worker(workerId).map((worker) -> {
			this.primary.replace(worker);
			return settled();
		})
			.orElseGet(() -> CompletableFuture
				.failedFuture(new NoSuchWorkerException("No worker " + workerId + " is running")));
	}

	/**
	 * A snapshot taken on the supervisor thread after every change queued before it.
	 */
	private CompletableFuture<ClusterSnapshot> settled() {
		return CompletableFuture.supplyAsync(this.primary::snapshot, this.supervisor);
	}

}
