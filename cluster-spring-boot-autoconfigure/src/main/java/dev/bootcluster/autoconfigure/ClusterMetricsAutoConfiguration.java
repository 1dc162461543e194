package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.primary.ClusterPrimary;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ClusterMetrics} in the primary; Spring Boot binds them
 * to every meter registry. Workers have their own JVM and HTTP meters as usual.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ClusterPrimary.class)
public final class ClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterMetrics clusterMetrics(ClusterPrimary primary) {
		return new ClusterMetrics(primary);
	}

	// Exits and restarts are counted from the start, not from the first scrape.
	@Bean
	static LazyInitializationExcludeFilter clusterMetricsEagerBean() {
		return LazyInitializationExcludeFilter.forBeanTypes(ClusterMetrics.class);
	}

}
