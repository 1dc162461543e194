package dev.bootcluster.event;

import dev.bootcluster.primary.Worker;

/**
 * A worker connected to the primary's control channel.
 */
public class WorkerOnlineEvent extends WorkerEvent {

	public WorkerOnlineEvent(Worker worker) {
		super(worker);
	}

}
