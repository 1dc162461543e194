package dev.bootcluster.autoconfigure;

import dev.bootcluster.supervision.ClusterPrimary;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogMessage;

/**
 * Makes {@code SIGHUP} to the primary a rolling restart, as in Gunicorn and Puma: the
 * operator's way to upgrade a jar in place ({@code kill -HUP <primary pid>}). Where the
 * platform has no {@code SIGHUP} (Windows) or the JVM keeps it ({@code -Xrs}), the primary
 * starts all the same and rolling restarts are there through the API and the endpoint.
 */
class RestartOnHangup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RestartOnHangup.class);

	private static final String HANGUP = "HUP";

	/**
	 * The JVM's own signal handling.
	 */
	static final SignalInstaller JVM_SIGNALS = (name, handler) -> Signal.handle(new Signal(name), handler);

	private final Runnable restart;

	private final SignalInstaller installer;

	private boolean running;

	private @Nullable SignalHandler previous;

	/**
	 * Creates a handler for the given primary.
	 * @param primary the primary to restart
	 */
	public RestartOnHangup(ClusterPrimary primary) {
		this(primary::restart, JVM_SIGNALS);
	}

	RestartOnHangup(Runnable restart, SignalInstaller installer) {
		this.restart = restart;
		this.installer = installer;
	}

	@Override
	public synchronized void start() {
		try {
			this.previous = this.installer.install(HANGUP, (signal) -> {
				logger.info("SIGHUP received: rolling restart");
				this.restart.run();
			});
		}
		catch (IllegalArgumentException ex) {
			logger.info(LogMessage.format("SIGHUP is not available to this JVM (%s): rolling restarts are available "
					+ "through the API and the endpoint only", ex.getMessage()));
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		SignalHandler previous = this.previous;
		if (previous != null) {
			this.installer.install(HANGUP, previous);
			this.previous = null;
		}
		this.running = false;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether {@code SIGHUP} restarts the cluster.
	 * @return {@code true} once the handler is installed
	 */
	synchronized boolean isHandlingHangup() {
		return this.previous != null;
	}

	/**
	 * Installs a signal handler, as {@link Signal#handle} does.
	 */
	@FunctionalInterface
	interface SignalInstaller {

		/**
		 * Installs the handler.
		 * @param name the signal's name, without {@code SIG}
		 * @param handler the handler
		 * @return the handler it replaces
		 * @throws IllegalArgumentException if the platform has no such signal or the JVM
		 * keeps it for itself
		 */
		SignalHandler install(String name, SignalHandler handler);

	}

}
