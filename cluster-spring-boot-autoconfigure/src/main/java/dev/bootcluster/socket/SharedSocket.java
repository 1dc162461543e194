package dev.bootcluster.socket;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
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
	 * Binds the shared socket in the best mode this JVM supports.
	 * @param address the address to bind, or {@code null} for every address
	 * @param port the port, or 0 for an ephemeral one
	 * @param backlog the length of the kernel's accept queue
	 * @return the bound socket
	 * @throws java.net.BindException if the address or port cannot be bound
	 * @throws IOException if the socket cannot be created
	 * @throws IllegalStateException if this JVM cannot share a socket with child processes
	 */
	static SharedSocket bind(@Nullable InetAddress address, int port, int backlog) throws IOException {
		String unavailable = Posix.unavailableReason();
		if (unavailable != null) {
			throw new IllegalStateException("The cluster cannot share its socket with workers: " + unavailable);
		}
		return InheritedSocket.bind(address, port, backlog);
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
	 * Closes the primary's hold on the socket; workers still running keep theirs.
	 */
	@Override
	void close() throws IOException;

}
