package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * An event about one worker, published in the primary's application context.
 */
public abstract class WorkerEvent extends ClusterEvent {

	protected WorkerEvent(Worker worker) {
		super(worker);
	}

	/**
	 * The worker the event is about.
	 * @return the worker
	 */
	public Worker getWorker() {
		return (Worker) getSource();
	}

}
