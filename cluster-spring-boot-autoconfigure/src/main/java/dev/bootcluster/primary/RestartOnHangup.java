package dev.bootcluster.primary;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.context.SmartLifecycle;

/**
 * Makes {@code SIGHUP} to the primary a rolling restart, as in Gunicorn and Puma: the
 * operator's way to upgrade a jar in place ({@code kill -HUP <primary pid>}).
 */
public class RestartOnHangup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RestartOnHangup.class);

	private static final Signal HANGUP = new Signal("HUP");

	private final ClusterPrimary primary;

	private @Nullable SignalHandler previous;

	/**
	 * Creates a handler for the given primary.
	 * @param primary the primary to restart
	 */
	public RestartOnHangup(ClusterPrimary primary) {
		this.primary = primary;
	}

	@Override
	public synchronized void start() {
		this.previous = Signal.handle(HANGUP, (signal) -> {
			logger.info("SIGHUP received: rolling restart");
			this.primary.restart();
		});
	}

	@Override
	public synchronized void stop() {
		SignalHandler previous = this.previous;
		if (previous != null) {
			Signal.handle(HANGUP, previous);
			this.previous = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.previous != null;
	}

}
