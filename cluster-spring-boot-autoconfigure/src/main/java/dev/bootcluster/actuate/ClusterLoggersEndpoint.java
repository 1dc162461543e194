package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.logging.LoggersEndpoint;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerGroup;
import org.springframework.boot.logging.LoggerGroups;
import org.springframework.boot.logging.LoggingSystem;

/**
 * The primary's {@code /actuator/loggers}, for the whole cluster: setting a level
 * ({@code POST /actuator/loggers/{name}}) sets it in the primary and in every worker, and
 * workers forked later start with it; reading one logger's levels adds, under
 * {@code workers}, the levels each worker runs with. A logger group is set member by
 * member, as the primary's configuration defines it.
 */
public class ClusterLoggersEndpoint extends LoggersEndpoint {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final LoggerGroups loggerGroups;

	private final WorkerLoggers workers;

	/**
	 * Creates the endpoint.
	 * @param loggingSystem the primary's logging system
	 * @param loggerGroups the logger groups
	 * @param workers what the primary can ask its workers
	 */
	public ClusterLoggersEndpoint(LoggingSystem loggingSystem, LoggerGroups loggerGroups, WorkerLoggers workers) {
		super(loggingSystem, loggerGroups);
		this.loggerGroups = loggerGroups;
		this.workers = workers;
	}

	@Override
	@ReadOperation
	public @Nullable LoggerLevelsDescriptor loggerLevels(@Selector String name) {
		LoggerLevelsDescriptor primary = super.loggerLevels(name);
		LoggerGroup group = this.loggerGroups.get(name);
		if (primary == null || group != null) {
			return primary;
		}
		Map<Integer, JsonNode> levels = PrimaryAnswer.await(this.workers.loggerLevels(name), TIMEOUT);
		return new ClusterLoggerLevelsDescriptor(primary, levels);
	}

	@Override
	@WriteOperation
	public void configureLogLevel(@Selector String name, @Nullable LogLevel configuredLevel) {
		super.configureLogLevel(name, configuredLevel);
		LoggerGroup group = this.loggerGroups.get(name);
		List<String> loggers = (group != null) ? group.getMembers() : List.of(name);
		PrimaryAnswer.await(this.workers.setLoggerLevel(loggers, (configuredLevel != null) ? configuredLevel.name() : null),
				TIMEOUT);
	}

	/**
	 * The loggers of the workers, as the primary reaches them.
	 */
	public interface WorkerLoggers {

		/**
		 * Asks every connected worker for one logger's levels.
		 * @param name the logger's name
		 * @return each worker's answer, by worker id
		 */
		CompletableFuture<Map<Integer, JsonNode>> loggerLevels(String name);

		/**
		 * Sets loggers' level in every worker, and in those forked later.
		 * @param names the loggers
		 * @param level the level, or {@code null} to clear it
		 * @return completed once every connected worker has set it
		 */
		CompletableFuture<Void> setLoggerLevel(List<String> names, @Nullable String level);

	}

	/**
	 * A logger's levels in the primary and, by id, in each worker.
	 */
	public static class ClusterLoggerLevelsDescriptor extends LoggerLevelsDescriptor {

		private final @Nullable String effectiveLevel;

		private final Map<Integer, JsonNode> workers;

		ClusterLoggerLevelsDescriptor(LoggerLevelsDescriptor primary, Map<Integer, JsonNode> workers) {
			super(level(primary.getConfiguredLevel()));
			this.effectiveLevel = (primary instanceof SingleLoggerLevelsDescriptor single) ? single.getEffectiveLevel()
					: null;
			this.workers = workers;
		}

		private static @Nullable LogLevel level(@Nullable String name) {
			return (name != null) ? LogLevel.valueOf(name) : null;
		}

		/**
		 * The level the primary's logger has in effect.
		 * @return the level, or {@code null}
		 */
		public @Nullable String getEffectiveLevel() {
			return this.effectiveLevel;
		}

		/**
		 * The levels each connected worker runs with: {@code configuredLevel} and
		 * {@code effectiveLevel}, by worker id.
		 * @return the workers' levels
		 */
		public Map<Integer, JsonNode> getWorkers() {
			return this.workers;
		}

	}

}
