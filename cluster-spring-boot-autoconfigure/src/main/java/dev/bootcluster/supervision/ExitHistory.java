package dev.bootcluster.supervision;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ProcessExit;
import org.jspecify.annotations.Nullable;

/**
 * The most recent worker exits, for {@code /actuator/cluster}, and the last worker of each
 * slot, so a respawn knows how many came before it.
 */
final class ExitHistory {

	private static final int KEPT = 20;

	private final Deque<ClusterSnapshot.WorkerExit> recent = new ArrayDeque<>();

	private final Map<Integer, SupervisedWorker> lastOfSlot = new HashMap<>();

	synchronized void record(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
		if (this.recent.size() == KEPT) {
			this.recent.removeFirst();
		}
		this.recent.addLast(new ClusterSnapshot.WorkerExit(worker.id(), worker.pid(), exit.code(), exit.signal(),
				worker.exitedAfterDisconnect(), cause, Instant.now()));
		this.lastOfSlot.put(worker.slot(), worker);
	}

	synchronized List<ClusterSnapshot.WorkerExit> recent() {
		return List.copyOf(this.recent);
	}

	synchronized @Nullable SupervisedWorker lastOfSlot(int slot) {
		return this.lastOfSlot.get(slot);
	}

}
