package dev.bootcluster.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Puts a worker's connectors on the ports the primary shares, once every customizer of
 * the application has run. In inherit mode the main connector accepts on standard input
 * (see the auto-configuration) and each additional one
 * ({@code factory.addAdditionalConnectors(...)}) on the socket the primary bound for it;
 * in relay mode every connector listens on a Unix domain socket in the directory the
 * primary names (or, without one, on a loopback port of its own), to which the primary
 * relays, while {@code server.port} keeps the public port the application may read (for
 * a redirect port, say). Additional connectors are made anew on
 * {@link SharedSocketProtocol} (see {@link ConnectorCopy}), so that they drain as the main
 * connector does.
 */
public class SharedConnectors implements BeanPostProcessor {

	private static final String UNIX_SOCKET_PATH = "unixDomainSocketPath";

	private final boolean relay;

	private final @Nullable Path socketDirectory;

	private final List<Integer> publicPorts;

	private final Supplier<List<ServerSocketChannel>> inheritedChannels;

	/**
	 * Shares the connectors in the given mode.
	 * @param relay whether the primary relays (else it handed the sockets over)
	 * @param socketDirectory where, in relay mode, the connectors put their Unix domain
	 * sockets, or {@code null} for loopback ports
	 * @param publicPorts the ports the primary relays from, the main connector's first,
	 * which connectors on Unix domain sockets report as theirs
	 * @param inheritedChannels the sockets the primary handed over, in the order of the
	 * additional connectors, made when first asked for
	 */
	public SharedConnectors(boolean relay, @Nullable Path socketDirectory, List<Integer> publicPorts,
			Supplier<List<ServerSocketChannel>> inheritedChannels) {
		this.relay = relay;
		this.socketDirectory = socketDirectory;
		this.publicPorts = List.copyOf(publicPorts);
		this.inheritedChannels = SingletonSupplier.of(inheritedChannels);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof TomcatWebServerFactory factory) {
			List<Connector> connectors = factory.getAdditionalConnectors();
			if (this.relay) {
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
			else {
				factory.setAdditionalConnectors(inherit(connectors, this.inheritedChannels.get()));
			}
		}
		return bean;
	}

	private static List<Connector> inherit(List<Connector> connectors, List<ServerSocketChannel> channels) {
		if (connectors.size() != channels.size()) {
			throw new IllegalStateException("The primary shares " + channels.size()
					+ " additional connector(s) and this worker's application adds " + connectors.size()
					+ ": the primary binds the ports of the connectors its own application adds, so the same "
					+ "customizers must add them in the primary and in the workers");
		}
		List<Connector> shared = new ArrayList<>();
		for (int i = 0; i < connectors.size(); i++) {
			Connector copy = ConnectorCopy.of(connectors.get(i));
			((SharedSocketProtocol) copy.getProtocolHandler()).sharedSocketEndpoint().inherit(channels.get(i));
			copy.setPort(localPort(channels.get(i))); // what Tomcat logs, and never -1, which it refuses
			shared.add(copy);
		}
		return shared;
	}

	private static int localPort(ServerSocketChannel channel) {
		try {
			return ((InetSocketAddress) channel.getLocalAddress()).getPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the address of a socket the primary handed over", ex);
		}
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
