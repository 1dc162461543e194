package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.metrics.PrimaryMeterFilter;
import dev.bootcluster.metrics.WorkerMeters;
import dev.bootcluster.supervision.ClusterPrimary;
import dev.bootcluster.worker.ClusterWorker;
import dev.bootcluster.worker.RegistryMeterReports;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the cluster's meters. In the primary: the {@link ClusterMetrics},
 * and, unless {@code cluster.metrics.include-workers=false}, every worker's meters
 * ({@link WorkerMeters}) beside the primary's own, which a {@link PrimaryMeterFilter}
 * tags as the primary's. Spring Boot binds them to every meter registry. In a worker:
 * its meters are reported to the primary after each heartbeat.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
public final class ClusterMetricsAutoConfiguration {

	private static final String INCLUDE_WORKERS = "cluster.metrics.include-workers";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ClusterPrimary.class)
	static class PrimaryMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterMetrics clusterMetrics(ClusterPrimary primary, ClusterProperties properties) {
			return new ClusterMetrics(primary::snapshot, primary::liveWorkers,
					properties.getMetrics().getWorkerTag());
		}

		// Exits and restarts are counted from the start, not from the first scrape.
		@Bean
		static LazyInitializationExcludeFilter clusterMetricsEagerBean() {
			return LazyInitializationExcludeFilter.forBeanTypes(ClusterMetrics.class, WorkerMeters.class);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = INCLUDE_WORKERS, matchIfMissing = true)
		WorkerMeters workerMeters(ClusterPrimary primary, ClusterProperties properties) {
			WorkerMeters meters = new WorkerMeters(properties.getMetrics().getWorkerTag(),
					properties.getMetrics().isAggregate());
			primary.queries().onWorkerMeters(meters);
			return meters;
		}

		// After Spring Boot's own filters, so that no histogram of the primary's survives.
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = INCLUDE_WORKERS, matchIfMissing = true)
		@Order(Ordered.LOWEST_PRECEDENCE)
		PrimaryMeterFilter primaryMeterFilter(ClusterProperties properties) {
			return new PrimaryMeterFilter(properties.getMetrics().getWorkerTag());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ClusterWorker.class)
	@ConditionalOnBooleanProperty(name = INCLUDE_WORKERS, matchIfMissing = true)
	static class WorkerMetricsConfiguration {

		// Once every singleton is made: the registry has its binders and filters.
		@Bean
		static SmartInitializingSingleton clusterWorkerMeterSharing(ObjectProvider<ClusterWorker> worker,
				ObjectProvider<MeterRegistry> registry) {
			return () -> {
				MeterRegistry meters = registry.getIfUnique();
				ClusterWorker clusterWorker = worker.getIfAvailable();
				if (meters != null && clusterWorker != null) {
					clusterWorker.shareMeters(new RegistryMeterReports(meters));
				}
			};
		}

	}

}
