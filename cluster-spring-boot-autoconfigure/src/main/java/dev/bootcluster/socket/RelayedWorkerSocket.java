package dev.bootcluster.socket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;

/**
 * Relay mode, the worker's half: every connector listens on a Unix domain socket in the
 * directory the primary names (or, without one, on a loopback port of its own), to which
 * the primary relays, while {@code server.port} keeps the public port the application may
 * read (for a redirect port, say).
 */
final class RelayedWorkerSocket implements WorkerSocket {

	/**
	 * The environment variable naming the directory where a relayed worker puts the Unix
	 * domain sockets its connectors listen on; absent, it listens on loopback ports.
	 */
	static final String SOCKETS_VARIABLE = "CLUSTER_RELAY_SOCKETS";

	/**
	 * The environment variable holding the public ports a relayed worker's connectors
	 * serve, comma-separated, the main connector's first: the ports a worker on Unix
	 * domain sockets reports as its own, as one in inherit mode does.
	 */
	static final String PORTS_VARIABLE = "CLUSTER_RELAY_PORTS";

	private static final String UNIX_SOCKET_PATH = "unixDomainSocketPath";

	private final @Nullable Path socketDirectory;

	private final List<Integer> publicPorts;

	/**
	 * Listens where the primary relays to.
	 * @param socketDirectory where the connectors put their Unix domain sockets, or
	 * {@code null} for loopback ports
	 * @param publicPorts the ports the primary relays from, the main connector's first,
	 * which connectors on Unix domain sockets report as theirs
	 */
	RelayedWorkerSocket(@Nullable Path socketDirectory, List<Integer> publicPorts) {
		this.socketDirectory = socketDirectory;
		this.publicPorts = List.copyOf(publicPorts);
	}

	static RelayedWorkerSocket fromEnvironment(Map<String, String> environment) {
		String socketDirectory = environment.get(SOCKETS_VARIABLE);
		return new RelayedWorkerSocket((socketDirectory != null) ? Path.of(socketDirectory) : null,
				publicPorts(environment.get(PORTS_VARIABLE)));
	}

	private static List<Integer> publicPorts(@Nullable String ports) {
		try {
			Integer[] parsed = DefaultConversionService.getSharedInstance().convert(ports, Integer[].class);
			return (parsed != null) ? List.of(parsed) : List.of();
		}
		catch (ConversionException ex) {
			throw new IllegalStateException(PORTS_VARIABLE + " holds '" + ports
					+ "', which is no list of ports; it is set by the primary", ex);
		}
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(SharedSocketProtocol.class.getName());
	}

	@Override
	public void share(TomcatWebServerFactory factory) {
		List<Connector> connectors = factory.getAdditionalConnectors();
		factory.setPort(publicPort(0));
		factory.setAddress(loopback());
		String main = socketPath(0);
		if (main != null) {
			factory.addConnectorCustomizers((connector) -> connector.setProperty(UNIX_SOCKET_PATH, main));
		}
		List<Connector> relayed = new ArrayList<>();
		for (int i = 0; i < connectors.size(); i++) {
			relayed.add(relayed(connectors.get(i), socketPath(i + 1), publicPort(i + 1)));
		}
		factory.setAdditionalConnectors(relayed);
	}

	/**
	 * The Unix domain socket of the connector at the given index (the main one is 0), named
	 * after this process, which no live sibling shares.
	 */
	private @Nullable String socketPath(int index) {
		return (this.socketDirectory != null)
				? this.socketDirectory.resolve(ProcessHandle.current().pid() + "-" + index + ".sock").toString() : null;
	}

	/**
	 * The port a relayed connector is given: on a Unix domain socket, the public one it
	 * serves, which Tomcat reports as its port ({@code local.server.port}); on loopback, 0,
	 * so that it binds a free one.
	 */
	private int publicPort(int index) {
		return (this.socketDirectory != null && index < this.publicPorts.size()) ? this.publicPorts.get(index) : 0;
	}

	private static Connector relayed(Connector connector, @Nullable String socketPath, int port) {
		Connector copy = ConnectorCopy.of(connector);
		copy.setPort(port);
		((SharedSocketProtocol) copy.getProtocolHandler()).setAddress(loopback());
		if (socketPath != null) {
			copy.setProperty(UNIX_SOCKET_PATH, socketPath);
		}
		return copy;
	}

	private static InetAddress loopback() {
		try {
			return InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
