package dev.bootcluster;

import java.util.Map;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Where this JVM stands in a cluster, like Node's {@code cluster.isPrimary} and
 * {@code cluster.worker.id}: usable anywhere, even before Spring has started.
 */
public final class Cluster {

	/**
	 * The environment variable that makes a process a worker (its value is the worker's
	 * id); relaxed binding also reads it as {@code cluster.worker.id}.
	 */
	public static final String WORKER_ID_VARIABLE = "CLUSTER_WORKER_ID";

	private static final String WORKERS_PROPERTY = "cluster.workers";

	private static final String WORKER_ID_PROPERTY = "cluster.worker.id";

	private Cluster() {
	}

	/**
	 * Whether this process is a worker started by a primary.
	 * @return {@code true} in a worker
	 */
	public static boolean isWorker() {
		return workerId() > 0;
	}

	/**
	 * The id of this worker: 1 for the first worker a primary starts, never reused.
	 * @return the worker id, or 0 when this process is not a worker
	 */
	public static int workerId() {
		return workerId(System.getenv());
	}

	static int workerId(Map<String, String> environment) {
		String id = environment.get(WORKER_ID_VARIABLE);
		return (id != null) ? parseWorkerId(id) : 0;
	}

	/**
	 * The role of the application whose environment is given: {@code WORKER} when
	 * {@code cluster.worker.id} is set, {@code PRIMARY} when {@code cluster.workers} is more
	 * than 0, else {@code STANDALONE}. (Only Spring's environment can tell a primary from a
	 * standalone app, since {@code cluster.workers} usually comes from application.yml.)
	 * @param environment the application's environment
	 * @return the role
	 * @throws InvalidConfigurationPropertyValueException if {@code cluster.workers} or
	 * {@code cluster.worker.id} is not valid
	 */
	public static ClusterRole role(Environment environment) {
		String id = environment.getProperty(WORKER_ID_PROPERTY);
		if (id != null) {
			parseWorkerId(id);
			return ClusterRole.WORKER;
		}
		String workers = environment.getProperty(WORKERS_PROPERTY);
		if (workers == null) {
			return ClusterRole.STANDALONE;
		}
		try {
			return WorkerCount.valueOf(workers).equals(WorkerCount.NONE) ? ClusterRole.STANDALONE : ClusterRole.PRIMARY;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(WORKERS_PROPERTY, workers, ex.getMessage());
		}
	}

	/**
	 * The worker id of the application whose environment is given.
	 * @param environment the application's environment
	 * @return the id, or 0 if the application is not a worker
	 * @throws InvalidConfigurationPropertyValueException if the id is not valid
	 */
	public static int workerId(Environment environment) {
		String id = environment.getProperty(WORKER_ID_PROPERTY);
		return (id != null) ? parseWorkerId(id) : 0;
	}

	private static int parseWorkerId(String id) {
		if (id.trim().matches("[1-9][0-9]{0,8}")) {
			return Integer.parseInt(id.trim());
		}
		throw new InvalidConfigurationPropertyValueException(WORKER_ID_PROPERTY, id,
				WORKER_ID_VARIABLE + " must be a positive integer");
	}

}
