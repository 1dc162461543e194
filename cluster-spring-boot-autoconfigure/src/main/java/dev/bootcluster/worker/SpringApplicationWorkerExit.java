package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.bootcluster.thread.ClusterThreads;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ends a worker the way {@code SIGTERM} would: closing the application context (which
 * drains the web server) and exiting with the context's exit code.
 */
public final class SpringApplicationWorkerExit implements WorkerExit {

	private static final Duration PRIMARY_LOST_DEADLINE = Duration.ofMillis(1500);

	private final ConfigurableApplicationContext context;

	public SpringApplicationWorkerExit(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void drainAndExit() {
		// a daemon as the thread asking is (the control channel's reader)
		ClusterThreads.newThread("cluster-exit", Thread.currentThread().isDaemon(),
				() -> System.exit(SpringApplication.exit(this.context)))
			.start();
	}

	@Override
	public void primaryLost() {
		ClusterThreads.start("cluster-exit-deadline", () -> {
			LockSupport.parkNanos(PRIMARY_LOST_DEADLINE.toNanos());
			Runtime.getRuntime().halt(1);
		});
		drainAndExit();
	}

}
