package dev.bootcluster.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Inherit mode, the worker's half: the main connector accepts on the socket the primary
 * handed over as standard input ({@link System#inheritedChannel()}) and each additional
 * one ({@code factory.addAdditionalConnectors(...)}) on the socket the primary bound for
 * it (see {@link InheritedChannels}), in the order the application adds them.
 */
final class InheritedWorkerSocket implements WorkerSocket {

	private final Supplier<List<ServerSocketChannel>> channels;

	/**
	 * Takes the connections on the sockets the primary handed over.
	 * @param channels the sockets of the additional connectors, in their order, made when
	 * first asked for
	 */
	InheritedWorkerSocket(Supplier<List<ServerSocketChannel>> channels) {
		this.channels = SingletonSupplier.of(channels);
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(SharedSocketProtocol.class.getName());
		factory.addConnectorCustomizers((connector) -> connector.setProperty("useInheritedChannel", "true"));
	}

	@Override
	public void share(TomcatWebServerFactory factory) {
		factory.setAdditionalConnectors(inherit(factory.getAdditionalConnectors(), this.channels.get()));
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

}
