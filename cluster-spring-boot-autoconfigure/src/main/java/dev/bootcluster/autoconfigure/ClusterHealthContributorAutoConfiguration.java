package dev.bootcluster.autoconfigure;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.worker.ClusterWorker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code cluster} health contributor: in the primary it reads
 * the supervisor's state; in a worker it asks the primary, and is DOWN while the primary
 * is silent.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("cluster")
public final class ClusterHealthContributorAutoConfiguration {

	@Bean("clusterHealthContributor")
	@ConditionalOnMissingBean(name = "clusterHealthContributor")
	@ConditionalOnBean(ClusterOperations.class)
	ClusterHealthIndicator clusterHealthContributor(ClusterOperations operations, ClusterProperties properties,
			ObjectProvider<ClusterWorker> worker) {
		ClusterWorker clusterWorker = worker.getIfAvailable();
		if (clusterWorker == null) {
			return new ClusterHealthIndicator(operations, properties.getMinReady());
		}
		return new ClusterHealthIndicator(operations, properties.getMinReady(), clusterWorker::primarySilence);
	}

}
