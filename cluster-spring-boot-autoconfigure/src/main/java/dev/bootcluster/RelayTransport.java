package dev.bootcluster;

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

}
