package dev.bootcluster.socket;

import java.io.IOException;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ForkedProcess;
import dev.bootcluster.process.WorkerSpawnException;
import org.jspecify.annotations.Nullable;

/**
 * Hands the one socket over the way the JDK itself can, from Java 17: the worker is
 * started by {@link ProcessBuilder} with its standard input inherited while, for that
 * moment, the primary's own standard input is the listening socket. The primary sets its
 * descriptor 0 aside, puts the socket there, starts the worker and puts its descriptor 0
 * back, under one lock. The descriptor calls are the JDK's (those of
 * {@code sun.nio.ch.InheritedChannel}, which implements {@link System#inheritedChannel()}),
 * so the application must open {@code java.base/sun.nio.ch} to itself. The JDK closes
 * every other descriptor in the child, so this way hands over the main socket only; and
 * workers share the primary's process group, as in relay mode.
 */
final class JdkHandoff implements SocketHandoff {

	static final JdkHandoff INSTANCE = new JdkHandoff();

	/** The manifest line that opens the package, for the startup log. */
	static final String MANIFEST_LINE = "Add-Opens: java.base/sun.nio.ch";

	private static final Object STANDARD_INPUT = new Object(); // one per process, as fd 0 is

	private final @Nullable Method dup;

	private final @Nullable Method dup2;

	private final @Nullable Method close;

	private final @Nullable Method fdVal;

	private final @Nullable String unavailable;

	private JdkHandoff() {
		Method dup = null;
		Method dup2 = null;
		Method close = null;
		Method fdVal = null;
		String unavailable = null;
		String os = System.getProperty("os.name", "");
		if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
			unavailable = "the JDK's way to hand a socket over is used on Linux only, not " + os;
		}
		else {
			try {
				Class<?> inheritedChannel = Class.forName("sun.nio.ch.InheritedChannel");
				dup = accessible(inheritedChannel.getDeclaredMethod("dup", int.class));
				dup2 = accessible(inheritedChannel.getDeclaredMethod("dup2", int.class, int.class));
				close = accessible(inheritedChannel.getDeclaredMethod("close0", int.class));
				fdVal = accessible(Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal"));
			}
			catch (InaccessibleObjectException ex) {
				unavailable = "java.base/sun.nio.ch is not open to the application (add '" + MANIFEST_LINE
						+ "' to the jar's manifest, or start the JVM with --add-opens java.base/sun.nio.ch=ALL-UNNAMED)";
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				unavailable = "this JDK (" + Runtime.version() + ") lacks the calls of sun.nio.ch.InheritedChannel: "
						+ ex;
			}
		}
		this.dup = dup;
		this.dup2 = dup2;
		this.close = close;
		this.fdVal = fdVal;
		this.unavailable = unavailable;
	}

	private static Method accessible(Method method) {
		method.setAccessible(true);
		return method;
	}

	@Override
	public @Nullable String unavailableReason(int sockets) {
		if (this.unavailable != null) {
			return this.unavailable;
		}
		return (sockets > 1) ? "the JDK hands a child its standard input only, not the sockets of additional "
				+ "connectors (that needs the Foreign Function and Memory API of Java 22 or later)" : null;
	}

	@Override
	public String description() {
		return "the workers take the socket themselves, handed over by the JDK as their standard input";
	}

	@Override
	public Listening listen(SocketBinding binding) throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open();
		try {
			binding.bind(server);
			InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
			int fd = (int) call(this.fdVal, server);
			return new BoundChannel(server, fd, local.getPort(), local.getAddress() instanceof Inet6Address);
		}
		catch (IOException | RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	@Override
	public ChildProcess spawn(List<String> command, Map<String, String> environment, List<Listening> sockets)
			throws IOException {
		if (sockets.size() != 1) {
			throw new IllegalArgumentException(unavailableReason(sockets.size()));
		}
		synchronized (STANDARD_INPUT) {
			int saved = standardInputSetAside();
			try {
				handOver(command, sockets.get(0));
				return ForkedProcess.start(command, environment);
			}
			finally {
				if (saved >= 0) {
					call(this.dup2, null, saved, 0);
					call(this.close, null, saved);
				}
				else {
					call(this.close, null, 0); // closed before, closed after
				}
			}
		}
	}

	private void handOver(List<String> command, Listening socket) throws WorkerSpawnException {
		try {
			call(this.dup2, null, socket.fd(), 0);
		}
		catch (IOException ex) {
			throw new WorkerSpawnException(command,
					"the socket cannot be put on standard input to hand it over: " + ex.getMessage(), ex);
		}
	}

	private int standardInputSetAside() {
		try {
			return (int) call(this.dup, null, 0);
		}
		catch (IOException ex) {
			return -1; // no standard input (started with <&-)
		}
	}

	private static Object call(@Nullable Method method, @Nullable Object target, Object... arguments)
			throws IOException {
		if (method == null) {
			throw new IllegalStateException("The JDK's way to hand a socket over is not available");
		}
		try {
			return method.invoke(target, arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IllegalStateException("Cannot hand a socket over: " + ex.getCause(), ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record BoundChannel(ServerSocketChannel server, int fd, int port, boolean inet6) implements Listening {

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
