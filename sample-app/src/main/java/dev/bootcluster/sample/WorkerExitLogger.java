package dev.bootcluster.sample;

import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.event.WorkerExitEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every worker exit in the primary, and warns when workers crash.
 */
@Component
class WorkerExitLogger {

	private static final Log logger = LogFactory.getLog(WorkerExitLogger.class);

	private final AtomicInteger crashes = new AtomicInteger();

	@EventListener
	void onExit(WorkerExitEvent event) {
		if (event.isExitedAfterDisconnect()) {
			logger.info("Worker " + event.getWorker().id() + " left: " + event);
		}
		else {
			logger.warn("Worker " + event.getWorker().id() + " crashed (" + this.crashes.incrementAndGet()
					+ " crash(es) so far): " + event);
		}
	}

}
