package dev.bootcluster.socket;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.process.ChildProcess;
import org.jspecify.annotations.Nullable;

/**
 * The listening sockets of a cluster, one per connector of the application (the main one
 * first), bound by the primary, and the way each worker process gets at them. One
 * implementation per mode, chosen once when the sockets are bound (as Node chooses
 * between its shared and round-robin handles): nothing outside this package knows which.
 */
public interface SharedSocket extends Closeable {

	/**
	 * Binds the public sockets as the settings say; if one cannot be bound, none stays
	 * bound.
	 * @param settings the mode and the relay's settings
	 * @param bindings the sockets to bind, the main connector's first
	 * @return the bound sockets
	 * @throws java.net.BindException if an address or port cannot be bound
	 * @throws IOException if a socket cannot be created
	 * @throws IllegalStateException if inherit mode is asked for where it is not available
	 */
	static SharedSocket bind(SocketSettings settings, List<SocketBinding> bindings) throws IOException {
		return bind(settings.mode(), bindings, settings.relayIdleTimeout(), settings.relayMaxConnections(),
				settings.relayTransport());
	}

	/**
	 * Binds the public sockets in the given mode; if one cannot be bound, none stays bound.
	 * @param mode how workers get their connections; {@link SocketMode#AUTO} picks
	 * inherit where this JVM can hand a socket to a child, else relay
	 * @param bindings the sockets to bind, the main connector's first
	 * @param relayIdleTimeout how long a relayed connection may stay idle (relay mode)
	 * @param relayMaxConnections how many connections each port relays at most (relay
	 * mode); beyond that, clients wait in the kernel's queue
	 * @param relayTransport how the relay reaches workers (relay mode)
	 * @return the bound sockets
	 * @throws java.net.BindException if an address or port cannot be bound
	 * @throws IOException if a socket cannot be created
	 * @throws IllegalStateException if inherit mode is asked for where it is not available
	 */
	static SharedSocket bind(SocketMode mode, List<SocketBinding> bindings, Duration relayIdleTimeout,
			int relayMaxConnections, RelayTransport relayTransport) throws IOException {
		if (bindings.isEmpty()) {
			throw new IllegalArgumentException("A cluster needs at least one socket to share");
		}
		String asked = "cluster.mode=" + mode.name().toLowerCase(Locale.ROOT);
		if (mode == SocketMode.RELAY) {
			return RelaySocket.bind(bindings, relayIdleTimeout, relayMaxConnections, relayTransport, asked);
		}
		SocketHandoff handoff = SocketHandoff.chosen(bindings.size());
		if (handoff != null) {
			String reason = ((mode == SocketMode.AUTO) ? "auto" : asked) + ": " + handoff.description();
			return InheritedSocket.bind(handoff, bindings, reason);
		}
		String unavailable = SocketHandoff.unavailable(bindings.size());
		if (mode == SocketMode.INHERIT) {
			throw new IllegalStateException("The cluster cannot share its socket with workers (" + asked + "): "
					+ unavailable + "; use cluster.mode=relay or auto");
		}
		return RelaySocket.bind(bindings, relayIdleTimeout, relayMaxConnections, relayTransport,
				"auto: " + unavailable);
	}

	/**
	 * Why the sockets are shared in their mode: the mode asked for and, when inherit mode
	 * is not to be had, why not and what would make it so.
	 * @return a sentence for the startup log
	 */
	String reason();

	/**
	 * The name of the mode, as shown in {@code /actuator/cluster}.
	 * @return the mode's name
	 */
	String mode();

	/**
	 * The port the main socket is bound to (the real one when 0 was asked for).
	 * @return the local port
	 */
	default int port() {
		return ports().get(0);
	}

	/**
	 * The ports of every socket, in the order of their bindings.
	 * @return the local ports, the main one first
	 */
	List<Integer> ports();

	/**
	 * Starts a worker process that can accept connections on these sockets.
	 * @param command the java executable followed by the worker's JVM options and the rest
	 * of its arguments
	 * @param environment the complete environment of the process
	 * @return the started process
	 * @throws IOException if the process cannot be started: a
	 * {@link dev.bootcluster.process.WorkerSpawnException} that names the command and
	 * says why, unless the socket is closed
	 */
	ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException;

	/**
	 * A worker is ready for connections; in relay mode it gets new ones from now on (in
	 * inherit mode it takes them itself).
	 * @param workerId the worker's id
	 * @param address the address the worker listens on, as it reported it
	 * @param ports the ports the worker listens on, one per socket in the same order
	 * @param socketPaths the Unix domain sockets the worker listens on instead, one per
	 * socket in the same order, or none if it listens on TCP ports
	 */
	default void route(int workerId, String address, List<Integer> ports, List<String> socketPaths) {
	}

	/**
	 * A worker drains or has exited; in relay mode it gets no new connections and those
	 * it has are relayed to their end.
	 * @param workerId the worker's id
	 */
	default void unroute(int workerId) {
	}

	/**
	 * Why the socket no longer brings connections to workers, if it failed: in relay
	 * mode, the relay's thread ended on an error. The cluster is unavailable then.
	 * @return what failed, or {@code null} while it serves
	 */
	default @Nullable String failure() {
		return null;
	}

	/**
	 * Why no new connection can reach a worker now, though some are routed: in relay
	 * mode, every routed worker failed its last connects. Unlike {@link #failure()} this
	 * passes as soon as a worker takes a connection again.
	 * @return the reason, or {@code null} while connections reach workers
	 */
	default @Nullable String unreachable() {
		return null;
	}

	/**
	 * Closes the primary's hold on the socket; workers still running keep theirs.
	 */
	@Override
	void close() throws IOException;

}
