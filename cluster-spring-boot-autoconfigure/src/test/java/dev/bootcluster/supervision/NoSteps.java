package dev.bootcluster.supervision;

import java.util.List;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.ipc.ControlMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The steps of workers in tests where no worker connects to the control channel.
 */
final class NoSteps implements WorkerChannels.Steps {

	static final NoSteps INSTANCE = new NoSteps();

	/** Reports dropped: no meters, no replies. */
	static final WorkerChannels.Reports NO_REPORTS = new WorkerChannels.Reports() {

		@Override
		public void meters(int workerId, ControlMessage.Meters meters) {
		}

		@Override
		public void replied(int workerId, ControlMessage.WorkerReply reply) {
		}

		@Override
		public void closed(int workerId) {
		}

	};

	private NoSteps() {
	}

	@Override
	public @Nullable SupervisedWorker liveWorker(int id) {
		return null;
	}

	@Override
	public void online(SupervisedWorker worker) {
	}

	@Override
	public void listening(SupervisedWorker worker, String address, int port, List<Integer> additionalPorts,
			List<String> socketPaths) {
	}

	@Override
	public void ready(SupervisedWorker worker) {
	}

	@Override
	public void heartbeat(SupervisedWorker worker, WorkerLoad load) {
	}

	@Override
	public void message(SupervisedWorker worker, JsonNode payload, Runnable handled) {
		handled.run();
	}

	@Override
	public void leaving(SupervisedWorker worker) {
	}

	@Override
	public ClusterOperations operations() {
		throw new UnsupportedOperationException("No worker asks in these tests");
	}

}
