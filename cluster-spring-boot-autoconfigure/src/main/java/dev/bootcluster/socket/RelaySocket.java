package dev.bootcluster.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.bootcluster.Cluster;
import org.jspecify.annotations.Nullable;

/**
 * Relay mode, for JVMs and systems that cannot hand a socket to a child process: the
 * primary accepts on each public port and relays each connection to a worker, which binds
 * {@code 127.0.0.1} on a port of its own for each of its connectors. Only routed workers
 * (READY, not draining) get new connections; the others finish those they have. Each
 * public port has a relay and a thread of its own.
 */
final class RelaySocket implements SharedSocket {

	private final List<ServerSocketChannel> servers;

	private final List<Relay> relays;

	private final List<Thread> threads = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private RelaySocket(List<ServerSocketChannel> servers, List<Relay> relays) throws IOException {
		this.servers = servers;
		this.relays = relays;
		for (int i = 0; i < servers.size(); i++) {
			int port = ((InetSocketAddress) servers.get(i).getLocalAddress()).getPort();
			this.ports.add(port);
			Thread thread = new Thread(relays.get(i), (i == 0) ? "cluster-relay" : "cluster-relay-" + port);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	static RelaySocket bind(List<SocketBinding> bindings, Duration idleTimeout) throws IOException {
		List<ServerSocketChannel> servers = new ArrayList<>();
		try {
			List<Relay> relays = new ArrayList<>();
			for (SocketBinding binding : bindings) {
				ServerSocketChannel server = ServerSocketChannel.open();
				servers.add(server);
				server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
				try {
					server.bind(new InetSocketAddress(binding.address(), binding.port()), binding.backlog());
				}
				catch (BindException ex) { // say which one, as inherit mode does
					BindException named = new BindException(ex.getMessage() + ": " + binding);
					named.initCause(ex);
					throw named;
				}
				server.configureBlocking(false);
				relays.add(new Relay(server, idleTimeout));
			}
			return new RelaySocket(servers, relays);
		}
		catch (IOException | RuntimeException ex) {
			for (ServerSocketChannel server : servers) {
				server.close();
			}
			throw ex;
		}
	}

	@Override
	public String mode() {
		return "relay";
	}

	@Override
	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	@Override
	public ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		Map<String, String> relayed = new HashMap<>(environment);
		relayed.put(Cluster.MODE_VARIABLE, mode());
		return ForkedProcess.start(command, relayed);
	}

	@Override
	public void route(int workerId, List<Integer> ports) {
		for (int i = 0; i < Math.min(ports.size(), this.relays.size()); i++) {
			this.relays.get(i)
				.route(workerId, new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(i)));
		}
	}

	@Override
	public void unroute(int workerId) {
		this.relays.forEach((relay) -> relay.unroute(workerId));
	}

	@Override
	public @Nullable String failure() {
		return this.relays.stream().map(Relay::failure).filter(Objects::nonNull).findFirst().orElse(null);
	}

	@Override
	public void close() throws IOException {
		this.relays.forEach(Relay::stop);
		for (Thread thread : this.threads) {
			try {
				thread.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (ServerSocketChannel server : this.servers) {
			server.close();
		}
	}

}
