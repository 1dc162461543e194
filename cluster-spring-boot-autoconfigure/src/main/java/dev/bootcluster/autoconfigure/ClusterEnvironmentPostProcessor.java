package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterRole;
import dev.bootcluster.launch.WorkerEnvironment;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sets what a role needs before logging and the context start: every log line of a
 * worker carries its id (and the primary's, its role) unless {@code logging.pattern.level}
 * is set, and with Boot's structured logging as the fields {@code cluster.role} and
 * {@code cluster.worker.id} too; only the primary prints the banner; a worker turns
 * Spring Boot's graceful shutdown off, since on a shared socket it drains with
 * {@link dev.bootcluster.worker.SharedSocketDrain} instead; and when
 * {@code management.server.port} differs from {@code server.port}, the primary serves
 * actuator there and workers run with no management port of their own. A worker starts
 * with the logger levels set for the whole cluster on the primary
 * ({@link WorkerEnvironment#LOGGER_LEVELS_VARIABLE}). The training run of the workers' AOT cache
 * ({@link WorkerEnvironment#TRAINING_VARIABLE}) runs standalone and skips the database's
 * initialization, which its primary or the workers do.
 */
class ClusterEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String LEVEL_PATTERN = "logging.pattern.level";

	/** The role's field in each line of Boot's structured logging (ECS, Logstash, GELF). */
	private static final String STRUCTURED_ROLE = "logging.structured.json.add.cluster.role";

	/** A worker's id in each line of Boot's structured logging. */
	private static final String STRUCTURED_WORKER_ID = "logging.structured.json.add.cluster.worker.id";

	private static final String MANAGEMENT_PORT = "management.server.port";

	private static final String LEAN = "cluster.primary.lean";

	/**
	 * What a worker of a lean primary skips: the primary migrated the database and ran
	 * the SQL init scripts before it forked any worker.
	 */
	static final Map<String, Object> WORKER_SKIPS_INITIALIZATION = Map.of("spring.flyway.enabled", "false",
			"spring.liquibase.enabled", "false", "spring.sql.init.mode", "never",
			"spring.session.jdbc.initialize-schema", "never", "spring.batch.jdbc.initialize-schema", "never",
			"spring.quartz.jdbc.initialize-schema", "never");

	/**
	 * A lean primary's Hikari pools keep no idle connection (one a primary-only bean opens
	 * is retired after the shortest idle timeout Hikari allows), and its Spring Data
	 * repositories are not all created once the context is refreshed, as the deferred
	 * bootstrap mode would.
	 */
	static final Map<String, Object> PRIMARY_LEAN = Map.of("spring.datasource.hikari.minimum-idle", "0",
			"spring.datasource.hikari.idle-timeout", "10000", "spring.data.jpa.repositories.bootstrap-mode",
			"default");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(WorkerEnvironment.TRAINING_VARIABLE)) {
			Map<String, Object> training = new HashMap<>(WORKER_SKIPS_INITIALIZATION); // the primary's or a worker's
			training.put("cluster.workers", "0");
			environment.getPropertySources().addFirst(new MapPropertySource("clusterTraining", training));
			endWithPrimary(environment);
			return;
		}
		ClusterRole role = Cluster.role(environment);
		if (role == ClusterRole.WORKER) {
			int id = Cluster.workerId(environment);
			Map<String, Object> overrides = new HashMap<>();
			overrides.put("server.shutdown", "immediate");
			if (hasManagementPortOfItsOwn(environment)) {
				overrides.put(MANAGEMENT_PORT, "-1"); // the primary serves it
			}
			if (isLean(environment)) {
				overrides.putAll(WORKER_SKIPS_INITIALIZATION); // the primary ran it before forking
			}
			overrides.putAll(clusterLoggerLevels(environment));
			environment.getPropertySources().addFirst(new MapPropertySource("clusterWorker", overrides));
			Map<String, Object> defaults = new LinkedHashMap<>(); // the fields in this order
			defaults.put(LEVEL_PATTERN, "%5p [worker-" + id + "]");
			defaults.put("spring.main.banner-mode", "off");
			defaults.put(STRUCTURED_ROLE, "worker");
			defaults.put(STRUCTURED_WORKER_ID, Integer.toString(id));
			environment.getPropertySources().addLast(new MapPropertySource("clusterWorkerDefaults", defaults));
		}
		else if (role == ClusterRole.PRIMARY) {
			if (isLean(environment)) {
				environment.getPropertySources().addFirst(new MapPropertySource("clusterPrimary", PRIMARY_LEAN));
			}
			environment.getPropertySources()
				.addLast(new MapPropertySource("clusterPrimaryDefaults",
						Map.of(LEVEL_PATTERN, "%5p [primary]", STRUCTURED_ROLE, "primary")));
		}
	}

	/**
	 * Ends a training run if its primary ends first, with the JVM that may be assembling its
	 * cache (a training run ends by itself once its context is refreshed; this is for a
	 * primary killed meanwhile, even before this runs).
	 */
	private static void endWithPrimary(ConfigurableEnvironment environment) {
		Optional<ProcessHandle> primary;
		try {
			primary = ProcessHandle.of(Long.parseLong(environment.getProperty(WorkerEnvironment.TRAINING_VARIABLE, "")));
		}
		catch (NumberFormatException ex) {
			primary = ProcessHandle.current().parent();
		}
		primary.ifPresentOrElse((process) -> process.onExit().thenRun(ClusterEnvironmentPostProcessor::endNow),
				ClusterEnvironmentPostProcessor::endNow);
	}

	private static void endNow() {
		ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
		try { // SIGKILL: on Runtime.halt the JVM would still record its cache, for seconds
			new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start().waitFor();
		}
		catch (IOException ex) {
			// no kill command: halt
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Runtime.getRuntime().halt(1);
	}

	/**
	 * The levels set for the whole cluster while it runs, over the configuration's own,
	 * as Spring Boot's actuator sets them over it.
	 */
	private static Map<String, Object> clusterLoggerLevels(ConfigurableEnvironment environment) {
		Map<String, Object> levels = new HashMap<>();
		String value = environment.getProperty(WorkerEnvironment.LOGGER_LEVELS_VARIABLE, "");
		for (String pair : value.split(",")) {
			int equals = pair.lastIndexOf('=');
			if (equals > 0) {
				levels.put("logging.level." + pair.substring(0, equals), pair.substring(equals + 1));
			}
		}
		return levels;
	}

	private static boolean isLean(ConfigurableEnvironment environment) {
		return environment.getProperty(LEAN, Boolean.class, true);
	}

	private static boolean hasManagementPortOfItsOwn(ConfigurableEnvironment environment) {
		String managementPort = environment.getProperty(MANAGEMENT_PORT);
		return managementPort != null && !managementPort.equals(environment.getProperty("server.port", "8080"));
	}

}
