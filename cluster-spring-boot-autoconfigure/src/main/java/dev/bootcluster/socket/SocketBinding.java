package dev.bootcluster.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * One public port of a cluster: where one of the application's connectors listens.
 *
 * @param address the address to bind, or {@code null} for every address
 * @param port the port, or 0 for an ephemeral one
 * @param backlog the length of the kernel's accept queue
 */
public record SocketBinding(@Nullable InetAddress address, int port, int backlog) {

	/**
	 * Binds a channel here, with {@code SO_REUSEADDR}; a port in use is a
	 * {@link BindException} that names the address and port, as inherit mode's native
	 * calls name them.
	 */
	void bind(ServerSocketChannel channel) throws IOException {
		channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
		try {
			channel.bind(new InetSocketAddress(this.address, this.port), this.backlog);
		}
		catch (BindException ex) {
			BindException named = new BindException(ex.getMessage() + ": " + this);
			named.initCause(ex);
			throw named;
		}
	}

	@Override
	public String toString() {
		return ((this.address != null) ? this.address.getHostAddress() : "*") + ":" + this.port;
	}

}
