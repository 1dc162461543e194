package dev.bootcluster;

/**
 * How workers get the connections of the public port ({@code cluster.mode}).
 */
public enum SocketMode {

	/** Inherit where the primary can hand its socket to workers, else relay. */
	AUTO,

	/**
	 * Each worker accepts on the primary's sockets itself (Linux; JDK 22+, or JDK 17+
	 * with {@code java.base/sun.nio.ch} opened for the main connector only): no hop, and
	 * connections queue in the kernel while workers come and go.
	 */
	INHERIT,

	/**
	 * The primary accepts and relays each connection to a worker, which listens on a Unix
	 * domain socket or a loopback port of its own ({@code cluster.relay.transport}): any
	 * JDK from 17 and any system.
	 */
	RELAY

}
