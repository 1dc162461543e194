package dev.bootcluster.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.actuate.ClusterLoggersEndpoint;
import dev.bootcluster.supervision.ClusterPrimary;
import dev.bootcluster.supervision.WorkerQueries;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.logging.LoggersEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.logging.LoggerGroups;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the primary's {@code loggers} endpoint as a
 * {@link ClusterLoggersEndpoint}: a level set on the primary is set in every worker too.
 * Workers keep Spring Boot's own endpoint, for themselves.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class,
		beforeName = "org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration")
@ConditionalOnClass(LoggersEndpoint.class)
@ConditionalOnAvailableEndpoint(LoggersEndpoint.class)
public final class ClusterLoggersEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean({ ClusterPrimary.class, LoggingSystem.class })
	@ConditionalOnMissingBean(LoggersEndpoint.class)
	ClusterLoggersEndpoint clusterLoggersEndpoint(LoggingSystem loggingSystem, ObjectProvider<LoggerGroups> groups,
			ClusterPrimary primary) {
		WorkerQueries queries = primary.queries();
		return new ClusterLoggersEndpoint(loggingSystem, groups.getIfAvailable(LoggerGroups::new),
				new ClusterLoggersEndpoint.WorkerLoggers() {

					@Override
					public CompletableFuture<Map<Integer, JsonNode>> loggerLevels(String name) {
						return queries.loggerLevels(name);
					}

					@Override
					public CompletableFuture<Void> setLoggerLevel(List<String> names, @Nullable String level) {
						return queries.setLoggerLevel(names, level);
					}

				});
	}

}
