package dev.bootcluster;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClusterTests {

	@Test
	void roleFollowsWorkerIdThenWorkerCount() {
		assertThat(Cluster.role(new MockEnvironment())).isEqualTo(ClusterRole.STANDALONE);
		assertThat(Cluster.role(new MockEnvironment().withProperty("cluster.workers", "0")))
			.isEqualTo(ClusterRole.STANDALONE);
		assertThat(Cluster.role(new MockEnvironment().withProperty("cluster.workers", "2")))
			.isEqualTo(ClusterRole.PRIMARY);
		assertThat(Cluster.role(new MockEnvironment().withProperty("cluster.workers", "auto")))
			.isEqualTo(ClusterRole.PRIMARY);
		assertThat(Cluster.role(
				new MockEnvironment().withProperty("cluster.workers", "2").withProperty("cluster.worker.id", "7")))
			.isEqualTo(ClusterRole.WORKER);
	}

	@Test
	void invalidValuesNameTheirProperty() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> Cluster.role(new MockEnvironment().withProperty("cluster.workers", "lots")))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("cluster.workers"));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> Cluster.role(new MockEnvironment().withProperty("cluster.worker.id", "0")))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("cluster.worker.id"));
	}

	@Test
	void workerIdComesFromTheProcessEnvironment() {
		assertThat(Cluster.workerId(Map.of())).isZero();
		assertThat(Cluster.workerId(Map.of(Cluster.WORKER_ID_VARIABLE, "3"))).isEqualTo(3);
	}

}
