package dev.bootcluster.process;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Method handles for the C library functions of inherit mode, linked once. Linking is
 * where the JVM refuses native access ({@code --illegal-native-access=deny}) and where a
 * missing function shows, so {@link Posix#unavailableReason()} only has to look here.
 */
final class Libc {

	private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

	private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

	private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

	private static final MemoryLayout POINTER = ValueLayout.ADDRESS;

	private static final Linker LINKER = Linker.nativeLinker();

	private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

	private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

	private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

	private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

	static final MethodHandle socket = errno("socket", FunctionDescriptor.of(INT, INT, INT, INT));

	static final MethodHandle setsockopt = errno("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, INT));

	static final MethodHandle bind = errno("bind", FunctionDescriptor.of(INT, INT, POINTER, INT));

	static final MethodHandle listen = errno("listen", FunctionDescriptor.of(INT, INT, INT));

	static final MethodHandle getsockname = errno("getsockname", FunctionDescriptor.of(INT, INT, POINTER, POINTER));

	static final MethodHandle close = errno("close", FunctionDescriptor.of(INT, INT));

	static final MethodHandle waitpid = errno("waitpid", FunctionDescriptor.of(INT, INT, POINTER, INT));

	static final MethodHandle kill = errno("kill", FunctionDescriptor.of(INT, INT, INT));

	static final MethodHandle strerror = plain("strerror", FunctionDescriptor.of(POINTER, INT));

	static final MethodHandle sigemptyset = plain("sigemptyset", FunctionDescriptor.of(INT, POINTER));

	static final MethodHandle sigfillset = plain("sigfillset", FunctionDescriptor.of(INT, POINTER));

	// The posix_spawn family returns the error number instead of setting errno.
	static final MethodHandle posix_spawn = plain("posix_spawn",
			FunctionDescriptor.of(INT, POINTER, POINTER, POINTER, POINTER, POINTER, POINTER));

	static final MethodHandle posix_spawn_file_actions_init = plain("posix_spawn_file_actions_init",
			FunctionDescriptor.of(INT, POINTER));

	static final MethodHandle posix_spawn_file_actions_destroy = plain("posix_spawn_file_actions_destroy",
			FunctionDescriptor.of(INT, POINTER));

	static final MethodHandle posix_spawn_file_actions_adddup2 = plain("posix_spawn_file_actions_adddup2",
			FunctionDescriptor.of(INT, POINTER, INT, INT));

	static final MethodHandle posix_spawn_file_actions_addclose = plain("posix_spawn_file_actions_addclose",
			FunctionDescriptor.of(INT, POINTER, INT));

	/** glibc 2.34 and later; without it every open descriptor is closed one by one. */
	static final Optional<MethodHandle> posix_spawn_file_actions_addclosefrom_np = optional(
			"posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(INT, POINTER, INT));

	static final MethodHandle posix_spawnattr_init = plain("posix_spawnattr_init", FunctionDescriptor.of(INT, POINTER));

	static final MethodHandle posix_spawnattr_destroy = plain("posix_spawnattr_destroy",
			FunctionDescriptor.of(INT, POINTER));

	static final MethodHandle posix_spawnattr_setflags = plain("posix_spawnattr_setflags",
			FunctionDescriptor.of(INT, POINTER, SHORT));

	static final MethodHandle posix_spawnattr_setsigmask = plain("posix_spawnattr_setsigmask",
			FunctionDescriptor.of(INT, POINTER, POINTER));

	static final MethodHandle posix_spawnattr_setsigdefault = plain("posix_spawnattr_setsigdefault",
			FunctionDescriptor.of(INT, POINTER, POINTER));

	static final MethodHandle posix_spawnattr_setpgroup = plain("posix_spawnattr_setpgroup",
			FunctionDescriptor.of(INT, POINTER, INT));

	/** Room for glibc's opaque spawn structures and {@code sigset_t} on every 64-bit ABI. */
	static final long OPAQUE_SIZE = 512;

	static final long OPAQUE_ALIGNMENT = LONG.byteSize();

	private Libc() {
	}

	/**
	 * Allocates the call state into which errno is captured.
	 * @param arena the arena
	 * @return the call state
	 */
	static MemorySegment callState(Arena arena) {
		return arena.allocate(CALL_STATE);
	}

	/**
	 * Reads the errno captured by a call.
	 * @param callState the call state passed to the call
	 * @return the error number
	 */
	static int errno(MemorySegment callState) {
		return (int) ERRNO.get(callState, 0L);
	}

	/**
	 * Describes an error number as the C library does.
	 * @param errno the error number
	 * @return the description, such as {@code Address already in use}
	 */
	static String describe(int errno) {
		try {
			MemorySegment message = (MemorySegment) strerror.invokeExact(errno);
			return message.reinterpret(Long.MAX_VALUE).getString(0);
		}
		catch (Throwable ex) {
			return "errno " + errno;
		}
	}

	private static MethodHandle errno(String name, FunctionDescriptor descriptor) {
		return LINKER.downcallHandle(find(name), descriptor, CAPTURE_ERRNO);
	}

	private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
		return LINKER.downcallHandle(find(name), descriptor);
	}

	private static Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor) {
		return LOOKUP.find(name).map((symbol) -> LINKER.downcallHandle(symbol, descriptor));
	}

	private static MemorySegment find(String name) {
		return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("The C library has no " + name + "()"));
	}

}
