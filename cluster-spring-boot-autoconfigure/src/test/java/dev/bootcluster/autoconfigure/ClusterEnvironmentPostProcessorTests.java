package dev.bootcluster.autoconfigure;

import java.util.Map;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterRole;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterEnvironmentPostProcessor}.
 */
class ClusterEnvironmentPostProcessorTests {

	private final ClusterEnvironmentPostProcessor postProcessor = new ClusterEnvironmentPostProcessor();

	@Test
	void aWorkerHasNoManagementPortWhenThePrimaryHasOneOfItsOwn() {
		MockEnvironment environment = worker().withProperty("management.server.port", "9090");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.server.port")).isEqualTo("-1");
		assertThat(environment.getProperty("server.shutdown")).isEqualTo("immediate");
		assertThat(environment.getProperty("logging.pattern.level")).isEqualTo("%5p [worker-3]");
	}

	@Test
	void aWorkerServesActuatorOnTheSharedPortWithoutAManagementPort() {
		MockEnvironment environment = worker();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.server.port")).isNull();
		MockEnvironment samePort = worker().withProperty("server.port", "9090")
			.withProperty("management.server.port", "9090");
		this.postProcessor.postProcessEnvironment(samePort, new SpringApplication());
		assertThat(samePort.getProperty("management.server.port")).isEqualTo("9090");
	}

	@Test
	void aRelayedWorkerKeepsThePublicPortInItsEnvironment() {
		MockEnvironment environment = worker().withProperty("CLUSTER_MODE", "relay")
			.withProperty("server.port", "8080")
			.withProperty("server.address", "0.0.0.0");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.port")).as("what the application reads").isEqualTo("8080");
		assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
	}

	@Test
	void theTrainingRunOfTheWorkersCacheRunsStandaloneAndLeavesTheDatabaseAlone() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "4")
			.withProperty("spring.sql.init.mode", "always")
			.withProperty("CLUSTER_TRAINING", Long.toString(ProcessHandle.current().parent().orElseThrow().pid()));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Cluster.role(environment)).isEqualTo(ClusterRole.STANDALONE);
		assertThat(environment.getProperty("spring.sql.init.mode")).isEqualTo("never");
		assertThat(environment.getProperty("spring.flyway.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("logging.pattern.level")).isNull();
	}

	@Test
	void thePrimaryKeepsItsManagementPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "2")
			.withProperty("management.server.port", "9090");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.server.port")).isEqualTo("9090");
		assertThat(environment.getProperty("logging.pattern.level")).isEqualTo("%5p [primary]");
	}

	@Test
	void structuredLogLinesCarryTheRoleAndTheWorkersIdAsFields() {
		MockEnvironment worker = worker().withProperty("logging.structured.json.add.team", "payments");
		this.postProcessor.postProcessEnvironment(worker, new SpringApplication());
		assertThat(structuredFields(worker)).isEqualTo(Map.of("cluster.role", "worker", "cluster.worker.id", "3", "team", "payments"));
		MockEnvironment primary = new MockEnvironment().withProperty("cluster.workers", "2");
		this.postProcessor.postProcessEnvironment(primary, new SpringApplication());
		assertThat(structuredFields(primary)).isEqualTo(Map.of("cluster.role", "primary"));
		MockEnvironment standalone = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(standalone, new SpringApplication());
		assertThat(standalone.getProperty("logging.structured.json.add.cluster.role")).isNull();
	}

	@Test
	void aWorkerStartsWithTheLevelsSetForTheClusterOverItsConfiguration() {
		MockEnvironment environment = worker().withProperty("logging.level.dev.bootcluster.sample", "WARN")
			.withProperty("logging.level.org.hibernate.SQL", "INFO")
			.withProperty("CLUSTER_LOGGER_LEVELS", "dev.bootcluster.sample=DEBUG,ROOT=TRACE");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		Map<String, String> levels = Binder.get(environment)
			.bind("logging.level", Bindable.mapOf(String.class, String.class))
			.get();
		assertThat(levels).containsEntry("dev.bootcluster.sample", "DEBUG")
			.containsEntry("ROOT", "TRACE")
			.as("a level the cluster did not set stays as configured")
			.containsEntry("org.hibernate.SQL", "INFO");
		MockEnvironment primary = new MockEnvironment().withProperty("cluster.workers", "2")
			.withProperty("CLUSTER_LOGGER_LEVELS", "dev.bootcluster.sample=DEBUG");
		this.postProcessor.postProcessEnvironment(primary, new SpringApplication());
		assertThat(primary.getProperty("logging.level.dev.bootcluster.sample")).as("the primary sets its own")
			.isNull();
	}

	private static Map<String, String> structuredFields(MockEnvironment environment) {
		return Binder.get(environment)
			.bind("logging.structured.json.add", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of());
	}

	private static MockEnvironment worker() {
		return new MockEnvironment().withProperty("cluster.workers", "2").withProperty("cluster.worker.id", "3");
	}

}
