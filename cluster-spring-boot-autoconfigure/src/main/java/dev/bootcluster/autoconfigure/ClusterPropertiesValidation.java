package dev.bootcluster.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The checks of {@link ClusterProperties}: each value, and those that depend on each other,
 * failing with the name of the property at fault.
 */
final class ClusterPropertiesValidation {

	/**
	 * The shortest timeout, interval or delay: shorter ones make a cluster spin (respawns,
	 * heartbeats, kills) rather than supervise.
	 */
	static final Duration MIN_DURATION = Duration.ofMillis(100);

	private ClusterPropertiesValidation() {
	}

	private static void validate(ClusterProperties.Worker.Warmup warmup, Duration bootTimeout) {
		for (String path : warmup.getPaths()) {
			if (!path.startsWith("/")) {
				throw new InvalidConfigurationPropertyValueException("cluster.worker.warmup.paths", path,
						"each path must start with '/'");
			}
			try {
				URI.create("http://localhost" + path);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("cluster.worker.warmup.paths", path,
						"not a path of a URI (" + ex.getMessage() + "); encode it");
			}
		}
		if (warmup.getPaths().isEmpty()) {
			return; // no warm-up
		}
		requireFloor("cluster.worker.warmup.duration", warmup.getDuration());
		if (warmup.getDuration().compareTo(bootTimeout.dividedBy(2)) > 0) { // the context's start comes first
			throw new InvalidConfigurationPropertyValueException("cluster.worker.warmup.duration",
					warmup.getDuration(), "must be at most half cluster.worker.boot-timeout (" + bootTimeout + ")");
		}
		requireAtLeast("cluster.worker.warmup.requests", warmup.getRequests(), 0);
		requireAtLeast("cluster.worker.warmup.concurrency", warmup.getConcurrency(), 1);
	}

	/**
	 * Checks every value together, naming the property at fault.
	 * @throws InvalidConfigurationPropertyValueException for the first invalid value
	 */
	static void validate(ClusterProperties properties) {
		ClusterProperties.Worker worker = properties.getWorker();
		ClusterProperties.Restart restart = properties.getRestart();
		int minReady = properties.getMinReady();
		requireFloor("cluster.worker.heartbeat-interval", worker.getHeartbeatInterval());
		requireFloor("cluster.worker.kill-timeout", worker.getKillTimeout());
		requireFloor("cluster.restart.backoff-initial", restart.getBackoffInitial());
		requireFloor("cluster.restart.backoff-max", restart.getBackoffMax());
		if (restart.getBackoffMax().compareTo(restart.getBackoffInitial()) < 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.restart.backoff-max", restart.getBackoffMax(),
					"must not be less than cluster.restart.backoff-initial (" + restart.getBackoffInitial() + ")");
		}
		requireFloor("cluster.restart.min-uptime", restart.getMinUptime());
		requireFloor("cluster.worker.boot-timeout", worker.getBootTimeout());
		requireFloor("cluster.worker.heartbeat-timeout", worker.getHeartbeatTimeout());
		if (worker.getHeartbeatTimeout().compareTo(worker.getHeartbeatInterval().multipliedBy(2)) < 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.worker.heartbeat-timeout",
					worker.getHeartbeatTimeout(), "must be at least twice cluster.worker.heartbeat-interval ("
							+ worker.getHeartbeatInterval() + ")");
		}
		if (!worker.getHangTimeout().isZero()) {
			requireFloor("cluster.worker.hang-timeout", worker.getHangTimeout());
			if (worker.getHangTimeout().compareTo(worker.getHeartbeatInterval().multipliedBy(2)) < 0) {
				throw new InvalidConfigurationPropertyValueException("cluster.worker.hang-timeout",
						worker.getHangTimeout(), "must be 0 or at least twice cluster.worker.heartbeat-interval ("
								+ worker.getHeartbeatInterval() + ")");
			}
		}
		validate(worker.getWarmup(), worker.getBootTimeout());
		requireAtLeast("cluster.worker.max-requests", worker.getMaxRequests(), 0);
		requireAtLeast("cluster.worker.max-requests-jitter", worker.getMaxRequestsJitter(), 0);
		DataSize maxHeap = worker.getMaxHeap();
		if (maxHeap != null && maxHeap.toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.worker.max-heap", maxHeap,
					"must be positive");
		}
		double heapPercentage = worker.getHeapPercentage();
		if (!(heapPercentage > 0 && heapPercentage <= 100)) {
			throw new InvalidConfigurationPropertyValueException("cluster.worker.heap-percentage", heapPercentage,
					"must be more than 0 and at most 100");
		}
		requireAtLeast("cluster.restart.max-restarts", restart.getMaxRestarts(), 1);
		requireAtLeast("cluster.rolling.batch-size", properties.getRolling().getBatchSize(), 1);
		requireAtLeast("cluster.min-ready", minReady, 1);
		requireFloor("cluster.relay.idle-timeout", properties.getRelay().getIdleTimeout());
		Integer maxWorkers = properties.getMaxWorkers();
		if (maxWorkers != null) {
			requireAtLeast("cluster.max-workers", maxWorkers, 1);
		}
		int limit = properties.resolveMaxWorkers();
		int workerCount = properties.resolveWorkers();
		if (workerCount > limit) {
			throw new InvalidConfigurationPropertyValueException("cluster.workers", properties.getWorkers(),
					"must not be more than cluster.max-workers (" + limit + ")");
		}
		if (workerCount > 0 && minReady > workerCount) {
			throw new InvalidConfigurationPropertyValueException("cluster.min-ready", minReady,
					"must not be more than cluster.workers (" + workerCount + ")");
		}
		for (String argument : worker.getJvmArgs()) {
			if (argument.isBlank() || argument.equals("-jar") || argument.equals("-cp")
					|| argument.equals("-classpath") || argument.equals("--class-path")) {
				throw new InvalidConfigurationPropertyValueException("cluster.worker.jvm-args", argument,
						"must be JVM options; the class path and main class are those of the primary");
			}
		}
		String workerTag = properties.getMetrics().getWorkerTag();
		if (workerTag == null || !workerTag.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
			throw new InvalidConfigurationPropertyValueException("cluster.metrics.worker-tag", workerTag,
					"must be a tag key: a letter or '_', then letters, digits, '_' or '.'");
		}
		for (String name : worker.getEnv().keySet()) {
			if (name.isEmpty() || name.contains("=") || name.startsWith("CLUSTER_")) {
				throw new InvalidConfigurationPropertyValueException("cluster.worker.env", name,
						"names must be non-empty, contain no '=' and not start with CLUSTER_ (reserved for the cluster)");
			}
		}
	}

	private static void requireAtLeast(String name, long value, long minimum) {
		if (value < minimum) {
			throw new InvalidConfigurationPropertyValueException(name, value, "must be at least " + minimum);
		}
	}

	private static void requireFloor(String name, Duration value) {
		if (value.compareTo(MIN_DURATION) < 0) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"must be at least " + MIN_DURATION.toMillis() + "ms");
		}
	}

}
