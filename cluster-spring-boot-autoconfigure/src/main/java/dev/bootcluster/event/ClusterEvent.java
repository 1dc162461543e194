package dev.bootcluster.event;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of the events a cluster publishes.
 */
public abstract class ClusterEvent extends ApplicationEvent {

	protected ClusterEvent(Object source) {
		super(source);
	}

}
