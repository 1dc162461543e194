package dev.bootcluster.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.ClusterSnapshot.PrimaryProcess;
import dev.bootcluster.ClusterSnapshot.WorkerExit;
import dev.bootcluster.ClusterSnapshot.WorkerSummary;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * Takes a {@link ClusterSnapshot} of the supervisor's workers.
 */
final class ClusterSnapshots {

	// read once: every snapshot (each metrics gauge, each readiness probe) needs it
	private static final Instant STARTED_AT = ProcessHandle.current().info().startInstant().orElse(Instant.now());

	private ClusterSnapshots() {
	}

	static ClusterSnapshot of(String mode, int port, List<Integer> additionalPorts, List<SupervisedWorker> workers,
			Collection<SupervisedWorker> erroredSlots, List<WorkerExit> exits, @Nullable String failure,
			@Nullable String unreachable) {
		Duration uptime = Duration.between(STARTED_AT, Instant.now());
		List<WorkerSummary> summaries = new ArrayList<>();
		workers.forEach((worker) -> summaries.add(summary(worker, worker.state())));
		erroredSlots.forEach((lastWorker) -> summaries.add(summary(lastWorker, WorkerState.ERRORED)));
		return new ClusterSnapshot(mode, port, additionalPorts,
				new PrimaryProcess(ProcessHandle.current().pid(), uptime, failure), summaries, exits, unreachable);
	}

	private static WorkerSummary summary(SupervisedWorker worker, WorkerState state) {
		WorkerLoad load = worker.load();
		return new WorkerSummary(worker.id(), worker.pid(), state, worker.startedAt(), load.requests(),
				load.activeRequests(), load.heapUsed(), worker.restarts());
	}

}
