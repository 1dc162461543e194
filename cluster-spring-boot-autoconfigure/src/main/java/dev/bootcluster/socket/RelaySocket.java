package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bootcluster.Cluster;
import org.jspecify.annotations.Nullable;

/**
 * Relay mode, for JVMs and systems that cannot hand a socket to a child process: the
 * primary accepts on the public port and relays each connection to a worker, which binds
 * {@code 127.0.0.1} on a port of its own. Only routed workers (READY, not draining) get
 * new connections; the others finish those they have.
 */
final class RelaySocket implements SharedSocket {

	private final ServerSocketChannel server;

	private final Relay relay;

	private final Thread thread;

	private final int port;

	private RelaySocket(ServerSocketChannel server, Relay relay) throws IOException {
		this.server = server;
		this.relay = relay;
		this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
		this.thread = new Thread(relay, "cluster-relay");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	static RelaySocket bind(@Nullable InetAddress address, int port, int backlog, Duration idleTimeout)
			throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open();
		try {
			server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			server.bind(new InetSocketAddress(address, port), backlog);
			server.configureBlocking(false);
			return new RelaySocket(server, new Relay(server, idleTimeout));
		}
		catch (IOException | RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	@Override
	public String mode() {
		return "relay";
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		Map<String, String> relayed = new HashMap<>(environment);
		relayed.put(Cluster.MODE_VARIABLE, mode());
		return ForkedProcess.start(command, relayed);
	}

	@Override
	public void route(int workerId, int port) {
		this.relay.route(workerId, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
	}

	@Override
	public void unroute(int workerId) {
		this.relay.unroute(workerId);
	}

	@Override
	public @Nullable String failure() {
		return this.relay.failure();
	}

	@Override
	public void close() throws IOException {
		this.relay.stop();
		try {
			this.thread.join(Duration.ofSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.server.close();
	}

}
