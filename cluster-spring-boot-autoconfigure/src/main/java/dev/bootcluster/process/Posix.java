package dev.bootcluster.process;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The Java 17 stand-in for the POSIX calls of inherit mode. The real ones are made through
 * the Foreign Function and Memory API, final from Java 22, in the multi-release section
 * of this jar ({@code META-INF/versions/22}); on an older JVM this class says why they
 * are missing.
 */
public final class Posix {

	private Posix() {
	}

	/**
	 * Why the native calls cannot be made on this JVM.
	 * @return the reason
	 */
	public static @Nullable String unavailableReason() {
		return "the primary runs on Java " + Runtime.version().feature()
				+ " and posix_spawn through the Foreign Function and Memory API needs Java 22 or later";
	}

	/**
	 * Binds and listens on a TCP socket that children may inherit.
	 * @param address the address, or {@code null} for every one
	 * @param port the port, 0 for any
	 * @param backlog the accept queue's length
	 * @return the socket's descriptor
	 * @throws IOException never: the call is unavailable
	 */
	public static int listen(@Nullable InetAddress address, int port, int backlog) throws IOException {
		throw unavailable();
	}

	/**
	 * The port a socket is bound to.
	 * @param fd the socket's descriptor
	 * @return the port
	 * @throws IOException never: the call is unavailable
	 */
	public static int localPort(int fd) throws IOException {
		throw unavailable();
	}

	/**
	 * Whether a socket is an IPv6 one.
	 * @param fd the socket's descriptor
	 * @return whether it is
	 * @throws IOException never: the call is unavailable
	 */
	public static boolean isInet6(int fd) throws IOException {
		throw unavailable();
	}

	/**
	 * Spawns a process with the given sockets as its descriptors 0, 3, 4, and so on.
	 * @param executable the program
	 * @param argv its arguments, the program first
	 * @param environment its environment
	 * @param sockets the descriptors to hand it
	 * @return its pid
	 * @throws IOException never: the call is unavailable
	 */
	public static long spawn(String executable, List<String> argv, Map<String, String> environment, int[] sockets)
			throws IOException {
		throw unavailable();
	}

	/**
	 * Waits for a child to end and reaps it.
	 * @param pid the child's pid
	 * @return how it ended
	 * @throws IOException never: the call is unavailable
	 */
	public static ProcessExit waitFor(long pid) throws IOException {
		throw unavailable();
	}

	/**
	 * Sends a signal to a process.
	 * @param pid the process
	 * @param signal the signal's name or number
	 * @return whether it was sent
	 * @throws IOException never: the call is unavailable
	 */
	public static boolean kill(long pid, String signal) throws IOException {
		throw unavailable();
	}

	/**
	 * Closes a descriptor.
	 * @param fd the descriptor
	 * @throws IOException never: the call is unavailable
	 */
	public static void close(int fd) throws IOException {
		throw unavailable();
	}

	private static UnsupportedOperationException unavailable() {
		return new UnsupportedOperationException(unavailableReason());
	}

}
