package dev.bootcluster.socket;

import java.nio.file.Path;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link WorkerSocket}: a worker takes the mode its primary chose from the
 * environment the primary started it with, and nothing else.
 */
class WorkerSocketTests {

	@Test
	void aWorkerInheritsUnlessItsPrimaryRelays() {
		assertThat(WorkerSocket.fromEnvironment(Map.of())).isInstanceOf(InheritedWorkerSocket.class);
		assertThat(WorkerSocket.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "relay")))
			.isInstanceOf(RelayedWorkerSocket.class);
	}

	@Test
	void theUsersClusterModeInTheEnvironmentIsNoMarkOfThePrimary() {
		assertThat(WorkerSocket.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "inherit", "CLUSTER_MODE", "relay")))
			.isInstanceOf(InheritedWorkerSocket.class);
	}

	@Test
	void aWorkerStartedByAPrimaryOfAnEarlierVersionTakesItsMark() {
		assertThat(WorkerSocket.fromEnvironment(Map.of("CLUSTER_MODE", "relay")))
			.isInstanceOf(RelayedWorkerSocket.class);
		assertThat(WorkerSocket.fromEnvironment(Map.of("CLUSTER_MODE", "inherit")))
			.isInstanceOf(InheritedWorkerSocket.class);
	}

	@Test
	void anInheritingWorkersMainConnectorAcceptsOnTheInheritedChannel() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		WorkerSocket.fromEnvironment(Map.of()).customize(factory);
		assertThat(factory.getProtocol()).isEqualTo(SharedSocketProtocol.class.getName());
		assertThat(mainEndpoint(factory).getUseInheritedChannel()).isTrue();
	}

	@Test
	void aRelayedWorkersMainConnectorListensOnASocketOfItsOwn() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		WorkerSocket.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "relay")).customize(factory);
		assertThat(factory.getProtocol()).isEqualTo(SharedSocketProtocol.class.getName());
		assertThat(mainEndpoint(factory).getUseInheritedChannel()).isFalse();
	}

	@Test
	void aRelayedWorkerListensOnLoopbackWithoutASocketDirectory() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(8080);
		factory.addAdditionalConnectors(new Connector());
		WorkerSocket.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "relay", "CLUSTER_RELAY_PORTS", "18080,18443"))
			.share(factory);
		assertThat(factory.getPort()).isZero();
		assertThat(factory.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(factory.getAdditionalConnectors()).singleElement()
			.satisfies((connector) -> assertThat(connector.getPort()).isZero());
	}

	@Test
	void aRelayedWorkerListensInTheDirectoryItsPrimaryNamesOnThePortsItRelaysFrom(@TempDir Path directory) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(8080);
		factory.addAdditionalConnectors(new Connector());
		WorkerSocket
			.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "relay", "CLUSTER_RELAY_SOCKETS", directory.toString(),
					"CLUSTER_RELAY_PORTS", "18080,18443"))
			.share(factory);
		String prefix = directory.resolve(Long.toString(ProcessHandle.current().pid())).toString();
		assertThat(factory.getPort()).isEqualTo(18080);
		assertThat(mainEndpoint(factory).getUnixDomainSocketPath()).isEqualTo(prefix + "-0.sock");
		Connector additional = factory.getAdditionalConnectors().get(0);
		assertThat(additional.getPort()).isEqualTo(18443);
		assertThat(((SharedSocketProtocol) additional.getProtocolHandler()).sharedSocketEndpoint().getUnixDomainSocketPath())
			.isEqualTo(prefix + "-1.sock");
	}

	@Test
	void portsThatAreNoPortsAreRefusedNamingTheirVariable() {
		assertThatIllegalStateException()
			.isThrownBy(() -> WorkerSocket
				.fromEnvironment(Map.of("CLUSTER_SOCKET_MODE", "relay", "CLUSTER_RELAY_PORTS", "8080,http")))
			.withMessageContaining("CLUSTER_RELAY_PORTS");
	}

	/**
	 * The endpoint of the main connector the factory would make, as far as its connector
	 * customizers set it.
	 */
	private static SharedSocketEndpoint mainEndpoint(TomcatServletWebServerFactory factory) {
		Connector connector = new Connector(SharedSocketProtocol.class.getName());
		for (TomcatConnectorCustomizer customizer : factory.getConnectorCustomizers()) {
			customizer.customize(connector);
		}
		return ((SharedSocketProtocol) connector.getProtocolHandler()).sharedSocketEndpoint();
	}

}
