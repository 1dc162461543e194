package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * A worker's application is ready: it takes connections from now on.
 */
public class WorkerReadyEvent extends WorkerEvent {

	public WorkerReadyEvent(Worker worker) {
		super(worker);
	}

}
