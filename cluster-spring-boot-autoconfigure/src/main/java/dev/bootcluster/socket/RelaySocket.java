package dev.bootcluster.socket;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ForkedProcess;
import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * Relay mode, for JVMs and systems that cannot hand a socket to a child process: the
 * primary accepts on each public port and relays each connection to a worker, which binds
 * a loopback address on a port of its own for each of its connectors and reports it. Only
 * routed workers (READY, not draining) get new connections; the others finish those they
 * have. Each public port has a relay and a thread of its own; a relay whose thread ends on
 * an error is replaced by a new one with the same routes (the connections it carried are
 * lost, new ones are served), up to {@value #RESTARTS} times a minute, after which its
 * failure stands and the cluster is unavailable.
 */
final class RelaySocket implements SharedSocket {

	private static final Log logger = LogFactory.getLog(RelaySocket.class);

	static final int RESTARTS = 3;

	private static final long RESTART_WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

	private final List<ServerSocketChannel> servers;

	private final AtomicReferenceArray<Relay> relays;

	private final Duration idleTimeout;

	private final int maxConnections;

	private final Map<Integer, List<SocketAddress>> routes = new ConcurrentHashMap<>();

	private final List<Thread> threads = new ArrayList<>();

	private final List<Integer> ports;

	private final Deque<Long> restarts = new ArrayDeque<>();

	private final String reason;

	private final @Nullable UnixSocketDirectory socketDirectory;

	private volatile boolean closed;

	private RelaySocket(List<ServerSocketChannel> servers, List<Relay> relays, Duration idleTimeout,
			int maxConnections, @Nullable UnixSocketDirectory socketDirectory, String reason) throws IOException {
		this.servers = servers;
		this.socketDirectory = socketDirectory;
		this.reason = reason;
		this.relays = new AtomicReferenceArray<>(relays.toArray(new Relay[0]));
		this.idleTimeout = idleTimeout;
		this.maxConnections = maxConnections;
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			int port = ((InetSocketAddress) servers.get(i).getLocalAddress()).getPort();
			ports.add(port);
			int index = i;
			this.threads.add(ClusterThreads.newThread((i == 0) ? "cluster-relay" : "cluster-relay-" + port,
					() -> relay(index)));
		}
		this.ports = List.copyOf(ports);
		this.threads.forEach(Thread::start);
	}

	/**
	 * Binds the public sockets and starts relaying.
	 * @param bindings the public sockets, the main connector's first
	 * @param idleTimeout how long a relayed connection may stay idle
	 * @param maxConnections how many connections each port relays at most
	 * @param transport how workers listen: on Unix domain sockets in a directory made
	 * under {@code socketParent}, or on loopback ports
	 * @param socketParent where to make the directory of the workers' sockets
	 * @param reason why the sockets are relayed
	 * @return the relaying sockets
	 * @throws IOException if a socket cannot be bound, or the directory of the workers'
	 * sockets cannot be made while {@link RelayTransport#UNIX} is asked for
	 */
	static RelaySocket bind(List<SocketBinding> bindings, Duration idleTimeout, int maxConnections,
			RelayTransport transport, Path socketParent, String reason) throws IOException {
		List<ServerSocketChannel> servers = new ArrayList<>();
		UnixSocketDirectory directory = null;
		try {
			directory = socketDirectory(transport, socketParent);
			List<Relay> relays = new ArrayList<>();
			for (SocketBinding binding : bindings) {
				ServerSocketChannel server = ServerSocketChannel.open();
				servers.add(server);
				binding.bind(server);
				server.configureBlocking(false);
				relays.add(new Relay(server, idleTimeout, maxConnections));
			}
			return new RelaySocket(servers, relays, idleTimeout, maxConnections, directory, reason);
		}
		catch (IOException | RuntimeException ex) {
			for (ServerSocketChannel server : servers) {
				server.close();
			}
			if (directory != null) {
				directory.close();
			}
			throw ex;
		}
	}

	static RelaySocket bind(List<SocketBinding> bindings, Duration idleTimeout, int maxConnections,
			RelayTransport transport, String reason) throws IOException {
		return bind(bindings, idleTimeout, maxConnections, transport,
				Path.of(System.getProperty("java.io.tmpdir")), reason);
	}

	/**
	 * Whether workers listen on Unix domain sockets: for {@code UNIX}, and for
	 * {@code AUTO} but on Windows.
	 */
	static boolean unixDomainSockets(RelayTransport transport, String osName) {
		return (transport == RelayTransport.AUTO) ? !osName.toLowerCase(Locale.ROOT).startsWith("windows")
				: transport == RelayTransport.UNIX;
	}

	private static @Nullable UnixSocketDirectory socketDirectory(RelayTransport transport, Path parent)
			throws IOException {
		if (!unixDomainSockets(transport, System.getProperty("os.name", ""))) {
			return null;
		}
		try {
			return UnixSocketDirectory.create(parent);
		}
		catch (IOException ex) {
			if (transport == RelayTransport.UNIX) {
				throw ex;
			}
			logger.warn(LogMessage.format("Relaying to workers over loopback TCP: %s", ex.getMessage()));
			return null;
		}
	}

	/**
	 * Runs the relay of one port, and a new one in its place each time it fails, while
	 * the budget of restarts lasts.
	 */
	private void relay(int index) {
		while (true) {
			Relay relay = this.relays.get(index);
			relay.run();
			if (this.closed || relay.isStopped() || !mayRestart()) {
				return;
			}
			try {
				Relay fresh = new Relay(this.servers.get(index), this.idleTimeout, this.maxConnections);
				this.relays.set(index, fresh);
				this.routes.forEach((workerId, addresses) -> fresh.route(workerId, addresses.get(index)));
				logger.warn(LogMessage.format("Restarted the relay of port %d after its failure (%s)",
						this.ports.get(index), relay.failure()));
			}
			catch (IOException | RuntimeException ex) {
				logger.error("Cannot restart the relay of port " + this.ports.get(index), ex);
				return;
			}
		}
	}

	private synchronized boolean mayRestart() {
		long now = System.nanoTime();
		while (!this.restarts.isEmpty() && now - this.restarts.peekFirst() > RESTART_WINDOW_NANOS) {
			this.restarts.pollFirst();
		}
		if (this.restarts.size() >= RESTARTS) {
			return false;
		}
		this.restarts.addLast(now);
		return true;
	}

	@Override
	public String mode() {
		return "relay";
	}

	@Override
	public String reason() {
		return this.reason + ((this.socketDirectory != null) ? ", to workers over Unix domain sockets"
				: ", to workers over loopback TCP");
	}

	@Override
	public List<Integer> ports() {
		return this.ports;
	}

	@Override
	public ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		Map<String, String> relayed = ModeMarker.marked(environment, ModeMarker.RELAY);
		if (this.socketDirectory != null) {
			relayed.put(RelayedWorkerSocket.SOCKETS_VARIABLE, this.socketDirectory.toString());
			relayed.put(RelayedWorkerSocket.PORTS_VARIABLE,
					this.ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
		}
		return ForkedProcess.start(command, relayed);
	}

	@Override
	public void route(int workerId, String address, List<Integer> ports, List<String> socketPaths) {
		List<SocketAddress> addresses = socketPaths.isEmpty() ? inet(address, ports)
				: socketPaths.stream().<SocketAddress>map(UnixDomainSocketAddress::of).toList();
		if (addresses.size() < this.relays.length()) {
			logger.warn(LogMessage.format("Worker %d listens on %d socket(s) for %d shared one(s); it is not routed",
					workerId, addresses.size(), this.relays.length()));
			return;
		}
		this.routes.put(workerId, addresses);
		for (int i = 0; i < this.relays.length(); i++) {
			this.relays.get(i).route(workerId, addresses.get(i));
		}
	}

	private static List<SocketAddress> inet(String address, List<Integer> ports) {
		InetAddress host = dialable(address);
		return ports.stream().<SocketAddress>map((port) -> new InetSocketAddress(host, port)).toList();
	}

	/**
	 * The address the worker reported, as it reported it (family included): a worker
	 * bound to a wildcard is dialled on the loopback address of the same family.
	 */
	static InetAddress dialable(String address) {
		String literal = address.split("%", 2)[0]; // a scope, as in fe80::1%eth0, may be a name
		if (!literal.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
			// never a name lookup, which could block the supervisor's thread
			throw new IllegalArgumentException("A worker reported an address that is no IP literal: " + address);
		}
		try {
			InetAddress reported = address.isBlank() ? InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 })
					: InetAddress.getByName(address); // a literal, never looked up
			if (reported instanceof Inet6Address && reported.isAnyLocalAddress()) {
				return InetAddress.getByName("::1");
			}
			return reported.isAnyLocalAddress() ? InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }) : reported;
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("A worker reported an address that is no IP literal: " + address, ex);
		}
	}

	@Override
	public void unroute(int workerId) {
		this.routes.remove(workerId);
		for (int i = 0; i < this.relays.length(); i++) {
			this.relays.get(i).unroute(workerId);
		}
	}

	@Override
	public @Nullable String failure() {
		return firstOf(Relay::failure);
	}

	@Override
	public @Nullable String unreachable() {
		return firstOf(Relay::unreachable);
	}

	private @Nullable String firstOf(Function<Relay, @Nullable String> problem) {
		for (int i = 0; i < this.relays.length(); i++) {
			String found = problem.apply(this.relays.get(i));
			if (found != null) {
				return (this.relays.length() > 1) ? "port " + this.ports.get(i) + ": " + found : found;
			}
		}
		return null;
	}

	/**
	 * The directory of the workers' Unix domain sockets, if they listen on such.
	 */
	@Nullable Path socketDirectory() {
		return (this.socketDirectory != null) ? this.socketDirectory.path() : null;
	}

	/**
	 * Runs a task on the thread of a port's relay: a seam for tests to inject a failure.
	 */
	void onRelayThread(int index, Runnable task) {
		this.relays.get(index).submit(task);
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		for (int i = 0; i < this.relays.length(); i++) {
			this.relays.get(i).stop();
		}
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
		if (this.socketDirectory != null) {
			this.socketDirectory.close();
		}
	}

}
