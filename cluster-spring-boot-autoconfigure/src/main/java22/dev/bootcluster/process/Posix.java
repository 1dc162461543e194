package dev.bootcluster.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The POSIX calls of inherit mode, made through the Foreign Function and Memory API: a
 * listening sockets created close-on-exec (so only the workers that are handed them hold
 * them), and workers started by {@code posix_spawn} with the main socket as their standard
 * input and any other as descriptors 3, 4, ..., no other inherited descriptor, no blocked
 * signal and a process group of their own.
 */
public final class Posix {

	private static final int AF_INET = 2;

	private static final int AF_INET6 = 10;

	private static final int SOCK_STREAM = 1;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int SOL_SOCKET = 1;

	private static final int SO_REUSEADDR = 2;

	private static final int IPPROTO_IPV6 = 41;

	private static final int IPV6_V6ONLY = 26;

	private static final int EINTR = 4;

	private static final int ESRCH = 3;

	private static final int EAFNOSUPPORT = 97;

	private static final int EADDRINUSE = 98;

	private static final int EADDRNOTAVAIL = 99;

	private static final short POSIX_SPAWN_SETPGROUP = 0x02;

	private static final short POSIX_SPAWN_SETSIGDEF = 0x04;

	private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

	private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

	private static final @Nullable String UNAVAILABLE_REASON = probe();

	private Posix() {
	}

	public static @Nullable String unavailableReason() {
		return UNAVAILABLE_REASON;
	}

	private static @Nullable String probe() {
		String os = System.getProperty("os.name", "");
		if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
			return "handing a socket to workers is implemented for Linux, not " + os;
		}
		try {
			Libc.socket.type();
			return null;
		}
		catch (ExceptionInInitializerError ex) {
			if (ex.getCause() instanceof IllegalCallerException denied) {
				return "native access is denied to this application (" + denied.getMessage()
						+ "); start the JVM with --enable-native-access=ALL-UNNAMED";
			}
			return "the C library cannot be linked: " + ex.getCause();
		}
	}

	public static int listen(@Nullable InetAddress address, int port, int backlog) throws IOException {
		return withArena((arena) -> {
			MemorySegment state = Libc.callState(arena);
			boolean ipv6 = (address == null) || (address instanceof Inet6Address);
			int fd = (int) Libc.socket.invokeExact(state, ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0 && address == null && Libc.errno(state) == EAFNOSUPPORT) {
				ipv6 = false; // a kernel without IPv6: the wildcard is IPv4's
				fd = (int) Libc.socket.invokeExact(state, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			}
			check(fd, state, "socket");
			try {
				setOption(arena, state, fd, SOL_SOCKET, SO_REUSEADDR, 1);
				if (ipv6 && address == null) {
					setOption(arena, state, fd, IPPROTO_IPV6, IPV6_V6ONLY, 0); // dual stack, as Java binds
				}
				MemorySegment socketAddress = socketAddress(arena, ipv6, address, port);
				int bound = (int) Libc.bind.invokeExact(state, fd, socketAddress, (int) socketAddress.byteSize());
				if (bound < 0) {
					int errno = Libc.errno(state);
					String where = ((address != null) ? address.getHostAddress() : "*") + ":" + port;
					if (errno == EADDRINUSE || errno == EADDRNOTAVAIL) {
						throw new BindException(Libc.describe(errno) + ": " + where);
					}
					throw new IOException("Cannot bind " + where + ": " + Libc.describe(errno));
				}
				check((int) Libc.listen.invokeExact(state, fd, backlog), state, "listen");
				return fd;
			}
			catch (Throwable ex) {
				close(fd);
				throw ex;
			}
		});
	}

	public static int localPort(int fd) throws IOException {
		return withArena((arena) -> Short.toUnsignedInt(localAddress(arena, fd).get(PORT, 2))); // sin(6)_port
	}

	public static boolean isInet6(int fd) throws IOException {
		return withArena((arena) -> localAddress(arena, fd).get(ValueLayout.JAVA_SHORT, 0) == AF_INET6);
	}

	private static MemorySegment localAddress(Arena arena, int fd) throws Throwable {
		MemorySegment state = Libc.callState(arena);
		MemorySegment address = arena.allocate(128, 8);
		MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) address.byteSize());
		check((int) Libc.getsockname.invokeExact(state, fd, address, length), state, "getsockname");
		return address;
	}

	/**
	 * Starts a process with {@code sockets[0]} as its standard input and {@code sockets[i]}
	 * as its descriptor {@code 2 + i}.
	 * @throws WorkerSpawnException if it cannot be started
	 */
	public static long spawn(String executable, List<String> argv, Map<String, String> environment, int[] sockets)
			throws IOException {
		try {
			return posixSpawn(executable, argv, environment, sockets);
		}
		catch (WorkerSpawnException ex) {
			throw ex;
		}
		catch (IOException | UncheckedIOException ex) {
			throw new WorkerSpawnException(argv, String.valueOf(ex.getMessage()), ex);
		}
	}

	private static long posixSpawn(String executable, List<String> argv, Map<String, String> environment,
			int[] sockets) throws IOException {
		return withArena((arena) -> {
			MemorySegment actions = arena.allocate(Libc.OPAQUE_SIZE, Libc.OPAQUE_ALIGNMENT);
			MemorySegment attributes = arena.allocate(Libc.OPAQUE_SIZE, Libc.OPAQUE_ALIGNMENT);
			spawned((int) Libc.posix_spawn_file_actions_init.invokeExact(actions), "file actions");
			spawned((int) Libc.posix_spawnattr_init.invokeExact(attributes), "attributes");
			try {
				handOver(actions, sockets);
				closeInheritedDescriptors(actions, 2 + sockets.length);
				MemorySegment noSignals = arena.allocate(Libc.OPAQUE_SIZE, Libc.OPAQUE_ALIGNMENT);
				MemorySegment allSignals = arena.allocate(Libc.OPAQUE_SIZE, Libc.OPAQUE_ALIGNMENT);
				int ignored = (int) Libc.sigemptyset.invokeExact(noSignals);
				ignored = (int) Libc.sigfillset.invokeExact(allSignals);
				// JVM threads block some signals and exec keeps the mask: start with none blocked.
				spawned((int) Libc.posix_spawnattr_setsigmask.invokeExact(attributes, noSignals), "signal mask");
				spawned((int) Libc.posix_spawnattr_setsigdefault.invokeExact(attributes, allSignals), "signals");
				// A process group of its own: a terminal's Ctrl-C reaches the primary only.
				spawned((int) Libc.posix_spawnattr_setpgroup.invokeExact(attributes, 0), "process group");
				short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
				spawned((int) Libc.posix_spawnattr_setflags.invokeExact(attributes, flags), "flags");
				MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
				int error = (int) Libc.posix_spawn.invokeExact(pid, arena.allocateFrom(executable), actions,
						attributes, strings(arena, argv), strings(arena, environment.entrySet()
							.stream()
							.map((entry) -> entry.getKey() + "=" + entry.getValue())
							.toList()));
				if (error != 0) {
					throw new WorkerSpawnException(argv, Libc.describe(error), null);
				}
				return pid.get(ValueLayout.JAVA_INT, 0);
			}
			finally {
				int ignored = (int) Libc.posix_spawn_file_actions_destroy.invokeExact(actions);
				ignored = (int) Libc.posix_spawnattr_destroy.invokeExact(attributes);
			}
		});
	}

	// The sockets after the first go to 3, 4, ... by way of descriptors above them all, so
	// that none is overwritten before it is moved (the child's table is its own: whatever
	// the parking places held there is of no use to it).
	private static void handOver(MemorySegment actions, int[] sockets) throws Throwable {
		spawned((int) Libc.posix_spawn_file_actions_adddup2.invokeExact(actions, sockets[0], 0), "dup2");
		int parking = Math.max(Arrays.stream(sockets).max().orElse(0), 2 + sockets.length) + 1;
		for (int i = 1; i < sockets.length; i++) {
			spawned((int) Libc.posix_spawn_file_actions_adddup2.invokeExact(actions, sockets[i], parking + i), "dup2");
		}
		for (int i = 1; i < sockets.length; i++) {
			spawned((int) Libc.posix_spawn_file_actions_adddup2.invokeExact(actions, parking + i, 2 + i), "dup2");
			spawned((int) Libc.posix_spawn_file_actions_addclose.invokeExact(actions, parking + i), "close");
		}
	}

	// The JDK opens its files without close-on-exec: a worker would hold the primary's jar,
	// its control socket and whatever else is open.
	private static void closeInheritedDescriptors(MemorySegment actions, int first) throws Throwable {
		if (Libc.posix_spawn_file_actions_addclosefrom_np.isPresent()) {
			spawned((int) Libc.posix_spawn_file_actions_addclosefrom_np.get().invokeExact(actions, first),
					"closefrom");
			return;
		}
		for (int fd : openDescriptors()) {
			if (fd >= first) {
				spawned((int) Libc.posix_spawn_file_actions_addclose.invokeExact(actions, fd), "close");
			}
		}
	}

	private static int[] openDescriptors() {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.mapToInt((path) -> Integer.parseInt(path.getFileName().toString())).toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the open file descriptors", ex);
		}
	}

	public static ProcessExit waitFor(long pid) throws IOException {
		return withArena((arena) -> {
			MemorySegment state = Libc.callState(arena);
			MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
			while (true) {
				int result = (int) Libc.waitpid.invokeExact(state, (int) pid, status, 0);
				if (result == pid) {
					return ProcessExit.fromWaitStatus(status.get(ValueLayout.JAVA_INT, 0));
				}
				if (result < 0 && Libc.errno(state) != EINTR) {
					throw new IOException("Cannot wait for process " + pid + ": " + Libc.describe(Libc.errno(state)));
				}
			}
		});
	}

	public static boolean kill(long pid, String signal) throws IOException {
		int number = Signals.number(signal);
		if (pid <= 0) {
			throw new IllegalArgumentException("Refusing to signal process " + pid);
		}
		return withArena((arena) -> {
			MemorySegment state = Libc.callState(arena);
			if ((int) Libc.kill.invokeExact(state, (int) pid, number) == 0) {
				return true;
			}
			if (Libc.errno(state) == ESRCH) {
				return false;
			}
			throw new IOException("Cannot send " + Signals.name(number) + " to process " + pid + ": "
					+ Libc.describe(Libc.errno(state)));
		});
	}

	public static void close(int fd) throws IOException {
		withArena((arena) -> {
			MemorySegment state = Libc.callState(arena);
			check((int) Libc.close.invokeExact(state, fd), state, "close");
			return null;
		});
	}

	/**
	 * Runs native calls with a confined arena for their memory, letting I/O, runtime
	 * exceptions and errors through and wrapping what else a method handle may throw.
	 */
	private static <T> T withArena(NativeCalls<T> calls) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			return calls.run(arena);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void setOption(Arena arena, MemorySegment state, int fd, int level, int option, int value)
			throws Throwable {
		MemorySegment holder = arena.allocateFrom(ValueLayout.JAVA_INT, value);
		check((int) Libc.setsockopt.invokeExact(state, fd, level, option, holder, (int) holder.byteSize()), state,
				"setsockopt");
	}

	private static MemorySegment socketAddress(Arena arena, boolean ipv6, @Nullable InetAddress address, int port) {
		MemorySegment segment = arena.allocate(ipv6 ? 28 : 16, 4);
		segment.set(ValueLayout.JAVA_SHORT, 0, (short) (ipv6 ? AF_INET6 : AF_INET));
		segment.set(PORT, 2, (short) port);
		if (address != null) {
			byte[] bytes = address.getAddress();
			MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, ipv6 ? 8 : 4, bytes.length);
			if (address instanceof Inet6Address inet6) {
				segment.set(ValueLayout.JAVA_INT, 24, inet6.getScopeId());
			}
		}
		return segment;
	}

	private static MemorySegment strings(Arena arena, List<String> values) {
		MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
		for (int i = 0; i < values.size(); i++) {
			array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
		}
		array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
		return array;
	}

	private static void check(int result, MemorySegment state, String call) throws IOException {
		if (result < 0) {
			throw new IOException(call + "() failed: " + Libc.describe(Libc.errno(state)));
		}
	}

	private static void spawned(int error, String step) throws IOException {
		if (error != 0) {
			throw new IOException("its " + step + " cannot be prepared: " + Libc.describe(error));
		}
	}

	@FunctionalInterface
	private interface NativeCalls<T> {

		T run(Arena arena) throws Throwable;

	}

}
