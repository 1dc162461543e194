package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

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
		Thread exit = new Thread(() -> System.exit(SpringApplication.exit(this.context)), "cluster-exit");
		exit.start();
	}

	@Override
	public void primaryLost() {
		Thread deadline = new Thread(() -> {
			LockSupport.parkNanos(PRIMARY_LOST_DEADLINE.toNanos());
			Runtime.getRuntime().halt(1);
		}, "cluster-exit-deadline");
		deadline.setDaemon(true);
		deadline.start();
		drainAndExit();
	}

}
