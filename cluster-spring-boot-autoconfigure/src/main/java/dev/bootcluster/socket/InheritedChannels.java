package dev.bootcluster.socket;

import java.io.FileDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets of a worker's additional connectors in inherit mode: the
 * primary hands them over as the descriptors after standard error (3, 4, ...), in the
 * order of the connectors, and says which family each one is in an environment variable.
 * <p>
 * Java has a public way to turn a socket on standard input into a channel
 * ({@link System#inheritedChannel()}) and none for any other descriptor, so the channel is
 * made the way the JDK makes that one, with its {@code sun.nio.ch} constructor; the
 * primary opens that package to each worker it starts with such sockets.
 */
final class InheritedChannels {

	/** The environment variable listing the families of the handed-over sockets. */
	static final String VARIABLE = "CLUSTER_INHERITED_SOCKETS";

	/** What a worker JVM needs to make channels of them. */
	static final List<String> JVM_OPTIONS = List.of("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

	private static final int FIRST_DESCRIPTOR = 3;

	private InheritedChannels() {
	}

	/**
	 * The value of {@link #VARIABLE} for sockets of the given families, the main one first.
	 */
	static String describe(boolean[] inet6) {
		List<String> families = new ArrayList<>();
		for (int i = 1; i < inet6.length; i++) {
			families.add(inet6[i] ? "inet6" : "inet");
		}
		return String.join(",", families);
	}

	/**
	 * Makes channels of the sockets the primary handed to this worker for its additional
	 * connectors. Each call makes new channels of the same descriptors, so it is made once.
	 * @param environment the worker's environment
	 * @return the listening channels, in the order of the additional connectors; none
	 * when the primary handed over only the main socket (or relays)
	 * @throws IllegalStateException if the channels cannot be made
	 */
	static List<ServerSocketChannel> open(Map<String, String> environment) {
		String families = environment.get(VARIABLE);
		if (families == null || families.isBlank()) {
			return List.of();
		}
		List<ServerSocketChannel> channels = new ArrayList<>();
		String[] names = families.split(",");
		for (int i = 0; i < names.length; i++) {
			channels.add(open(FIRST_DESCRIPTOR + i, family(names[i])));
		}
		return List.copyOf(channels);
	}

	private static ProtocolFamily family(String name) {
		return switch (name.trim()) {
			case "inet" -> StandardProtocolFamily.INET;
			case "inet6" -> StandardProtocolFamily.INET6;
			default -> throw new IllegalStateException(
					VARIABLE + " names an unknown socket family '" + name + "'; it is set by the primary");
		};
	}

	private static ServerSocketChannel open(int descriptor, ProtocolFamily family) {
		try {
			Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
			Method newDescriptor = ioUtil.getMethod("newFD", int.class);
			Constructor<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl")
				.getDeclaredConstructor(SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class,
						boolean.class);
			newDescriptor.setAccessible(true);
			channel.setAccessible(true);
			FileDescriptor fd = (FileDescriptor) newDescriptor.invoke(null, descriptor);
			return (ServerSocketChannel) channel.newInstance(SelectorProvider.provider(), family, fd, true);
		}
		catch (InaccessibleObjectException ex) {
			throw new IllegalStateException("Cannot take over the socket the primary handed over as descriptor "
					+ descriptor + ": the JVM must be started with " + String.join(" ", JVM_OPTIONS)
					+ ", which the primary adds to each worker it starts", ex);
		}
		catch (ReflectiveOperationException | ClassCastException ex) {
			Throwable cause = (ex instanceof InvocationTargetException target) ? target.getCause() : ex;
			throw new IllegalStateException("Cannot take over the socket the primary handed over as descriptor "
					+ descriptor + " on this JVM (" + Runtime.version() + ")", cause);
		}
	}

}
