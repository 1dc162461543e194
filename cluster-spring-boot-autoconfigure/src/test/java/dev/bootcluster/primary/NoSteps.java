package dev.bootcluster.primary;

import java.util.List;

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
	public @Nullable Worker liveWorker(int id) {
		return null;
	}

	@Override
	public void online(Worker worker) {
	}

	@Override
	public void listening(Worker worker, String address, int port, List<Integer> additionalPorts,
			List<String> socketPaths) {
	}

	@Override
	public void ready(Worker worker) {
	}

	@Override
	public void heartbeat(Worker worker, WorkerLoad load) {
	}

	@Override
	public void message(Worker worker, JsonNode payload, Runnable handled) {
		handled.run();
	}

	@Override
	public void leaving(Worker worker) {
	}

	@Override
	public ClusterOperations operations() {
		throw new UnsupportedOperationException("No worker asks in these tests");
	}

}
