package dev.bootcluster.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.bootcluster.actuate.ClusterLoggersEndpoint;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.metrics.PrimaryMeterFilter;
import dev.bootcluster.metrics.WorkerMeters;
import dev.bootcluster.worker.WorkerExit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration;
import org.springframework.boot.actuate.logging.LoggersEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the auto-configuration of the cluster-wide meters and loggers: the primary
 * takes in its workers' meters and sets levels in every worker; a worker reports its
 * meters.
 */
class ClusterObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, ClusterMetricsAutoConfiguration.class,
				ClusterLoggersEndpointAutoConfiguration.class, LoggersEndpointAutoConfiguration.class))
		.withBean(LoggingSystem.class, () -> LoggingSystem.get(getClass().getClassLoader()))
		.withPropertyValues("management.endpoints.web.exposure.include=loggers");

	private final WebApplicationContextRunner primaryRunner = this.runner.withPropertyValues("cluster.workers=2")
		.withBean(WorkerLauncher.class, () -> new WorkerLauncher(
				new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar", "app.jar", List.of(), Map.of()),
				List.of(), Map.of()));

	@Test
	void thePrimaryTakesInWorkersMetersTagsItsOwnAndSetsLevelsInEveryWorker() {
		this.primaryRunner.withPropertyValues("cluster.metrics.worker-tag=instance").run((context) -> {
			assertThat(context).hasSingleBean(WorkerMeters.class).hasSingleBean(PrimaryMeterFilter.class);
			assertThat(context).getBean(LoggersEndpoint.class).isInstanceOf(ClusterLoggersEndpoint.class);
			MeterRegistry registry = new SimpleMeterRegistry();
			registry.config().meterFilter(context.getBean(PrimaryMeterFilter.class));
			Counter.builder("orders").register(registry);
			Counter.builder("cluster.worker.restarts").register(registry);
			assertThat(registry.get("orders").counter().getId().getTag("instance")).isEqualTo("primary");
			assertThat(registry.get("cluster.worker.restarts").counter().getId().getTag("instance"))
				.as("the cluster's own meters").isNull();
		});
	}

	@Test
	void withoutWorkersMetersThePrimaryKeepsItsOwnAsTheyAre() {
		this.primaryRunner.withPropertyValues("cluster.metrics.include-workers=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerMeters.class)
				.doesNotHaveBean(PrimaryMeterFilter.class));
	}

	@Test
	void aStandaloneApplicationKeepsSpringBootsLoggersEndpoint() {
		this.runner.run((context) -> assertThat(context).getBean(LoggersEndpoint.class)
			.isExactlyInstanceOf(LoggersEndpoint.class));
	}

	@Test
	void aWorkerTagThatIsNoTagKeyIsRefusedNamingTheProperty() {
		this.primaryRunner.withPropertyValues("cluster.metrics.worker-tag=the worker").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("cluster.metrics.worker-tag");
		});
	}

	@Test
	void aWorkerReportsItsMetersAfterItsHeartbeats() throws Exception {
		List<ControlMessage> received = new CopyOnWriteArrayList<>();
		try (ControlServer server = ControlServer
			.start(new ClusterOperationsAutoConfigurationTests.Greeter(received, new CountDownLatch(1)))) {
			String token = ControlServer.newToken();
			server.expect(5, token);
			this.runner
				.withPropertyValues("cluster.workers=2", "cluster.worker.id=5", "cluster.worker.heartbeat-interval=100ms",
						"cluster.control.socket=" + server.address(), "cluster.control.token=" + token)
				.withBean(WorkerExit.class, ClusterAutoConfigurationTests.NoExit::new)
				.withBean(MeterRegistry.class, () -> {
					SimpleMeterRegistry registry = new SimpleMeterRegistry();
					Counter.builder("orders").register(registry).increment(3);
					return registry;
				})
				.run((context) -> {
					assertThat(context).doesNotHaveBean(WorkerMeters.class);
					assertThat(context).getBean(LoggersEndpoint.class).isExactlyInstanceOf(LoggersEndpoint.class);
					await().untilAsserted(() -> assertThat(received).filteredOn(ControlMessage.Meters.class::isInstance)
						.map(ControlMessage.Meters.class::cast)
						.anySatisfy((meters) -> assertThat(meters.meters())
							.anySatisfy((sample) -> assertThat(sample.name() + "=" + sample.values()[0])
								.isEqualTo("orders=3.0"))));
				});
		}
	}

}
