package dev.bootcluster.ipc;


/**
 * Told of the meters workers report, on the thread that reads each worker's control
 * channel: a worker's frames in order, and nothing of it after {@link #closed}.
 */
public interface WorkerMetersListener {

	/** A listener that drops what it is told. */
	WorkerMetersListener NONE = new WorkerMetersListener() {

		@Override
		public void received(int workerId, ControlMessage.Meters meters) {
		}

		@Override
		public void closed(int workerId) {
		}

	};

	/**
	 * Some of a worker's meters, as they are now.
	 * @param workerId the worker
	 * @param meters its meters
	 */
	void received(int workerId, ControlMessage.Meters meters);

	/**
	 * A worker's control channel is closed: it has exited or is about to, and reports
	 * nothing more.
	 * @param workerId the worker
	 */
	void closed(int workerId);

}
