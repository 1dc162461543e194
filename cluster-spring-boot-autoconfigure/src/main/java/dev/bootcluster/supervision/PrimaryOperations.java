package dev.bootcluster.supervision;

import java.util.concurrent.CompletableFuture;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.NoSuchWorkerException;

/**
 * The primary's own {@link ClusterOperations}: each change is queued on the supervisor
 * thread and the answer is a snapshot taken on that thread right after it, so it shows
 * the change applied. Never blocks, so the supervisor thread itself may call it when a
 * worker asks. What a worker asks for goes through {@link #forWorkers()}, which changes
 * nothing unless the endpoint's access is {@code unrestricted}.
 */
final class PrimaryOperations implements ClusterOperations {

	private final ClusterPrimary primary;

	private final SupervisorLoop supervisor;

	private final int minReady;

	private final ClusterOperations forWorkers;

	PrimaryOperations(ClusterPrimary primary, SupervisorLoop supervisor, SupervisionSettings settings) {
		this.primary = primary;
		this.supervisor = supervisor;
		this.minReady = settings.minReady();
		this.forWorkers = settings.workersMayChange() ? this : new ReadOnly(this);
	}

	/**
	 * The operations a worker may ask for over the control channel: all of them with
	 * {@code management.endpoint.cluster.access=unrestricted}, else only {@link #state()} and
	 * {@link #threadDump(int)}.
	 * @return the operations for workers
	 */
	ClusterOperations forWorkers() {
		return this.forWorkers;
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
		try {
			this.primary.scale(workers);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
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

	@Override
	public CompletableFuture<String> threadDump(int workerId) {
		return this.primary.queries().threadDump(workerId);
	}

	/**
	 * A snapshot taken on the supervisor thread after every change queued before it.
	 */
	private CompletableFuture<ClusterSnapshot> settled() {
		return this.supervisor.call("a snapshot", this.primary::snapshot);
	}

	/**
	 * What workers may do while the endpoint's access is not {@code unrestricted}: read.
	 */
	private record ReadOnly(ClusterOperations operations) implements ClusterOperations {

		@Override
		public CompletableFuture<ClusterSnapshot> state() {
			return this.operations.state();
		}

		@Override
		public CompletableFuture<ClusterSnapshot> scale(int workers) {
			return refused("scale the cluster");
		}

		@Override
		public CompletableFuture<ClusterSnapshot> restart() {
			return refused("restart the workers");
		}

		@Override
		public CompletableFuture<ClusterSnapshot> replace(int workerId) {
			return refused("replace a worker");
		}

		@Override
		public CompletableFuture<String> threadDump(int workerId) {
			return this.operations.threadDump(workerId);
		}

		private static CompletableFuture<ClusterSnapshot> refused(String what) {
			return CompletableFuture.failedFuture(new SecurityException("A worker cannot " + what
					+ ": that needs management.endpoint.cluster.access=unrestricted (else workers only read the state)"));
		}

	}

}
