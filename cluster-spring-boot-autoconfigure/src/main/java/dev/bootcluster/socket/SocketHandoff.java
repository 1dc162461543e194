package dev.bootcluster.socket;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.bootcluster.process.ChildProcess;
import org.jspecify.annotations.Nullable;

/**
 * How the primary hands its listening sockets to a worker process in inherit mode: one
 * way per JVM, chosen once. {@link NativeHandoff} spawns with {@code posix_spawn} through
 * the Foreign Function and Memory API (Java 22+): any number of sockets, and a process
 * group of the worker's own. {@link JdkHandoff} puts the one socket on the primary's
 * standard input while the JDK starts the worker (Java 17+, with {@code sun.nio.ch}
 * opened to the application).
 */
interface SocketHandoff {

	/**
	 * Why this JVM cannot hand over the given number of sockets, if it cannot.
	 * @param sockets how many sockets the workers need
	 * @return the reason, or {@code null} if it can
	 */
	@Nullable String unavailableReason(int sockets);

	/**
	 * A sentence for the startup log: how the sockets are handed over.
	 * @return the description
	 */
	String description();

	/**
	 * Binds and listens on a socket that only the workers it is handed to inherit.
	 * @param binding where to listen
	 * @return the listening socket
	 * @throws IOException if it cannot be bound
	 */
	Listening listen(SocketBinding binding) throws IOException;

	/**
	 * Starts a worker with the sockets: the first as its standard input, the others as
	 * descriptors 3, 4, ....
	 * @param command the command line
	 * @param environment the complete environment
	 * @param sockets the sockets, the main one first
	 * @return the started process
	 * @throws IOException if it cannot be started: a
	 * {@link dev.bootcluster.process.WorkerSpawnException} that names the command and
	 * says why
	 */
	ChildProcess spawn(List<String> command, Map<String, String> environment, List<Listening> sockets)
			throws IOException;

	/**
	 * The way this JVM can hand sockets over, preferring the native one.
	 * @param sockets how many sockets the workers need
	 * @return the way, or {@code null} if none can (see {@link #unavailableReason(int)})
	 */
	static @Nullable SocketHandoff chosen(int sockets) {
		for (SocketHandoff handoff : List.of(NativeHandoff.INSTANCE, JdkHandoff.INSTANCE)) {
			if (handoff.unavailableReason(sockets) == null) {
				return handoff;
			}
		}
		return null;
	}

	/**
	 * Why no way of this JVM can hand the sockets over.
	 * @param sockets how many sockets the workers need
	 * @return the reasons of each way, or {@code null} if one can
	 */
	static @Nullable String unavailable(int sockets) {
		if (chosen(sockets) != null) {
			return null;
		}
		return NativeHandoff.INSTANCE.unavailableReason(sockets) + ", and "
				+ JdkHandoff.INSTANCE.unavailableReason(sockets);
	}

	/**
	 * A socket bound and listening in the primary, for workers to inherit.
	 */
	interface Listening extends Closeable {

		/**
		 * The socket's file descriptor in the primary.
		 * @return the descriptor
		 */
		int fd();

		/**
		 * The port it is bound to.
		 * @return the local port
		 */
		int port();

		/**
		 * Whether it is an IPv6 socket.
		 * @return {@code true} for IPv6, {@code false} for IPv4
		 */
		boolean inet6();

	}

}
