package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * A worker began to disconnect
 */
public class WorkerDisconnectEvent extends WorkerEvent {

	public WorkerDisconnectEvent(Worker worker) {
		super(worker);
	}

}
