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

	public static @Nullable String unavailableReason() {
		return "the primary runs on Java " + Runtime.version().feature()
				+ " and posix_spawn through the Foreign Function and Memory API needs Java 22 or later";
	}

	public static int listen(@Nullable InetAddress address, int port, int backlog) throws IOException {
		throw unavailable();
	}

	public static int localPort(int fd) throws IOException {
		throw unavailable();
	}

	public static boolean isInet6(int fd) throws IOException {
		throw unavailable();
	}

	public static long spawn(String executable, List<String> argv, Map<String, String> environment, int[] sockets)
			throws IOException {
		throw unavailable();
	}

	public static ProcessExit waitFor(long pid) throws IOException {
		throw unavailable();
	}

	public static boolean kill(long pid, String signal) throws IOException {
		throw unavailable();
	}

	public static void close(int fd) throws IOException {
		throw unavailable();
	}

	private static UnsupportedOperationException unavailable() {
		return new UnsupportedOperationException(unavailableReason());
	}

}
