package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * The primary started a worker's process.
 */
public class WorkerForkEvent extends WorkerEvent {

	public WorkerForkEvent(Worker worker) {
		super(worker);
	}

}
