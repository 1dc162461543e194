package dev.bootcluster.autoconfigure;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterOperations;
import dev.bootcluster.actuate.ClusterEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@link ClusterEndpoint}: in the primary it reads and changes
 * the supervisor's state; in a worker it asks the primary.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
public final class ClusterEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ClusterOperations.class)
	ClusterEndpoint clusterEndpoint(ClusterOperations operations, Environment environment) {
		return new ClusterEndpoint(Cluster.role(environment), operations);
	}

}
