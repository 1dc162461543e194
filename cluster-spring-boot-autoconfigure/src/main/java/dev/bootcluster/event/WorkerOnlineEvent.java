package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * A worker connected to the primary's control channel.
 */
public class WorkerOnlineEvent extends WorkerEvent {

	public WorkerOnlineEvent(Worker worker) {
		super(worker);
	}

}
