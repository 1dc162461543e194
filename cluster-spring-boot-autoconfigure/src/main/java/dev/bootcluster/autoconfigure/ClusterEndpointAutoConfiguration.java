package dev.bootcluster.autoconfigure;

import dev.bootcluster.ClusterRole;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.primary.ClusterPrimary;
import dev.bootcluster.worker.ClusterWorker;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ClusterEndpoint}: in the primary it reads the
 * supervisor's state; in a worker it asks the primary.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
public final class ClusterEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ClusterPrimary.class)
	ClusterEndpoint clusterEndpoint(ClusterPrimary primary) {
		return new ClusterEndpoint(ClusterRole.PRIMARY, primary::snapshot);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ClusterWorker.class)
	ClusterEndpoint clusterWorkerEndpoint(ClusterWorker worker) {
		return new ClusterEndpoint(ClusterRole.WORKER, worker::primarySnapshot);
	}

}
