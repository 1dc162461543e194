package dev.bootcluster.socket;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The one listening socket of a cluster, bound by the primary, and the way each worker
 * process gets at it. One implementation per mode, chosen once when the socket is bound
 * (as Node chooses between its shared and round-robin handles): nothing outside this
 * package knows which.
 */
public interface SharedSocket extends Closeable {

	/**
	 * Binds the public socket in the given mode.
	 * @param mode how workers get their connections; {@link SocketMode#AUTO} picks
	 * inherit where this JVM can hand a socket to a child, else relay
	 * @param address the address to bind, or {@code null} for every address
	 * @param port the port, or 0 for an ephemeral one
	 * @param backlog the length of the kernel's accept queue
	 * @param relayIdleTimeout how long a relayed connection may stay idle (relay mode)
	 * @return the bound socket
	 * @throws java.net.BindException if the address or port cannot be bound
	 * @throws IOException if the socket cannot be created
	 * @throws IllegalStateException if inherit mode is asked for where it is not available
	 */
	static SharedSocket bind(SocketMode mode, @Nullable InetAddress address, int port, int backlog,
			Duration relayIdleTimeout) throws IOException {
		String unavailable = Posix.unavailableReason();
		if (mode == SocketMode.INHERIT && unavailable != null) {
			throw new IllegalStateException("The cluster cannot share its socket with workers (cluster.mode=inherit): "
					+ unavailable + "; use cluster.mode=relay or auto");
		}
		return (mode == SocketMode.RELAY || unavailable != null)
				? RelaySocket.bind(address, port, backlog, relayIdleTimeout)
				: InheritedSocket.bind(address, port, backlog);
	}

	/**
	 * Why {@link SocketMode#AUTO} picks the mode it picks.
	 * @param mode the mode asked for
	 * @return a sentence for the startup log
	 */
	static String reason(SocketMode mode) {
		String unavailable = Posix.unavailableReason();
		if (mode != SocketMode.AUTO) {
			return "cluster.mode=" + mode.name().toLowerCase(Locale.ROOT);
		}
		return (unavailable != null) ? "auto: " + unavailable : "auto: the workers take the socket itself";
	}

	/**
	 * The name of the mode, as shown in {@code /actuator/cluster}.
	 * @return the mode's name
	 */
	String mode();

	/**
	 * The port the socket is bound to (the real one when 0 was asked for).
	 * @return the local port
	 */
	int port();

	/**
	 * Starts a worker process that can accept connections on this socket.
	 * @param command the executable followed by its arguments
	 * @param environment the complete environment of the process
	 * @return the started process
	 * @throws IOException if the process cannot be started
	 */
	ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException;

	/**
	 * A worker is ready for connections; in relay mode it gets new ones from now on (in
	 * inherit mode it takes them itself).
	 * @param workerId the worker's id
	 * @param port the port the worker listens on
	 */
	default void route(int workerId, int port) {
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
	 * Closes the primary's hold on the socket; workers still running keep theirs.
	 */
	@Override
	void close() throws IOException;

}
