package dev.bootcluster.socket;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

/**
 * One public port of a cluster: where one of the application's connectors listens.
 *
 * @param address the address to bind, or {@code null} for every address
 * @param port the port, or 0 for an ephemeral one
 * @param backlog the length of the kernel's accept queue
 */
public record SocketBinding(@Nullable InetAddress address, int port, int backlog) {

	@Override
	public String toString() {
		return ((this.address != null) ? this.address.getHostAddress() : "*") + ":" + this.port;
	}

}
