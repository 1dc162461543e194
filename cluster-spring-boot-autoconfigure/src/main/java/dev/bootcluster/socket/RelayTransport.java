package dev.bootcluster.socket;

import java.util.Locale;

/**
 * How the primary reaches a relayed worker ({@code cluster.relay.transport}).
 */
public enum RelayTransport {

	/** Unix domain sockets, except on Windows, where loopback TCP. */
	AUTO,

	/**
	 * Each of the worker's connectors listens on a Unix domain socket in a directory only
	 * the user can read: no TCP handshake or loopback TCP stack on the second hop, and no
	 * port another local user could connect to.
	 */
	UNIX,

	/** Each of the worker's connectors listens on a loopback port of its own. */
	TCP;

	/**
	 * Whether workers listen on Unix domain sockets.
	 * @return {@code true} for {@link #UNIX}, and for {@link #AUTO} but on Windows
	 */
	boolean unixDomainSockets() {
		return unixDomainSockets(System.getProperty("os.name", ""));
	}

	boolean unixDomainSockets(String osName) {
		return (this == AUTO) ? !osName.toLowerCase(Locale.ROOT).startsWith("windows") : this == UNIX;
	}

}
