package dev.bootcluster.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerOperationsAccess}: workers change the cluster only where the
 * endpoint's access, as Spring Boot resolves it, is unrestricted.
 */
class WorkerOperationsAccessTests {

	@Test
	void workersOnlyReadByDefault() {
		assertThat(WorkerOperationsAccess.workersMayChange(environment())).isFalse();
		assertThat(WorkerOperationsAccess.workersMayChange(access("read-only"))).isFalse();
		assertThat(WorkerOperationsAccess.workersMayChange(access("none"))).isFalse();
	}

	@Test
	void workersChangeTheClusterWithUnrestrictedAccess() {
		assertThat(WorkerOperationsAccess.workersMayChange(access("unrestricted"))).isTrue();
		assertThat(WorkerOperationsAccess.workersMayChange(
				environment().withProperty("management.endpoints.access.default", "unrestricted")))
			.isTrue();
	}

	@Test
	void theMostPermittedAccessWins() {
		assertThat(WorkerOperationsAccess.workersMayChange(
				access("unrestricted").withProperty("management.endpoints.access.max-permitted", "read-only")))
			.isFalse();
	}

	/**
	 * An environment that converts as a Spring Boot application's does.
	 */
	private static MockEnvironment environment() {
		MockEnvironment environment = new MockEnvironment();
		environment.setConversionService(new ApplicationConversionService());
		return environment;
	}

	private static MockEnvironment access(String access) {
		return environment().withProperty("management.endpoint.cluster.access", access);
	}

}
