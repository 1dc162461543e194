package dev.bootcluster.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.WorkerState;

/**
 * {@link ClusterOperations} that answer with a given state and remember what they were
 * asked; worker 1 is the only one that can be replaced, and scaling below 1 is refused.
 */
final class FixedClusterOperations implements ClusterOperations {

	final List<String> calls = new ArrayList<>();

	private final Supplier<ClusterSnapshot> state;

	FixedClusterOperations(Supplier<ClusterSnapshot> state) {
		this.state = state;
	}

	/**
	 * A cluster whose workers 1, 2, ... are in these states.
	 */
	static ClusterSnapshot snapshot(WorkerState... states) {
		List<ClusterSnapshot.WorkerSummary> workers = new ArrayList<>();
		for (int i = 0; i < states.length; i++) {
			workers.add(new ClusterSnapshot.WorkerSummary(i + 1, 100 + i, states[i], Instant.now(), 0, 0, 0, 0));
		}
		return new ClusterSnapshot("inherit", 8080, List.of(), new ClusterSnapshot.PrimaryProcess(1, Duration.ZERO), workers,
				List.of(), null);
	}

	@Override
	public CompletableFuture<ClusterSnapshot> state() {
		return CompletableFuture.supplyAsync(this.state);
	}

	@Override
	public CompletableFuture<ClusterSnapshot> scale(int workers) {
		this.calls.add("scale " + workers);
		return (workers < 1) ? CompletableFuture.failedFuture(new IllegalArgumentException("at least 1"))
				: state();
	}

	@Override
	public CompletableFuture<ClusterSnapshot> restart() {
		this.calls.add("restart");
		return state();
	}

	@Override
	public CompletableFuture<String> threadDump(int workerId) {
		this.calls.add("threadDump " + workerId);
		return (workerId == 1) ? CompletableFuture.completedFuture("\"main\" #1 [1] prio=5\n")
				: CompletableFuture.failedFuture(new NoSuchWorkerException("No worker " + workerId + " is running"));
	}

	@Override
	public CompletableFuture<ClusterSnapshot> replace(int workerId) {
		this.calls.add("replace " + workerId);
		return (workerId == 1) ? state()
				: CompletableFuture.failedFuture(new NoSuchWorkerException("No worker " + workerId + " is running"));
	}

}
