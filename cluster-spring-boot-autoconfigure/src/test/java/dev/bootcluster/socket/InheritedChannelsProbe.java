package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A child process for {@link SharedSocketIT}: takes over the sockets its parent handed
 * it after standard input and answers each connection on them with the local address of
 * the socket it came in on, as a worker's additional connectors would serve.
 */
public final class InheritedChannelsProbe {

	private InheritedChannelsProbe() {
	}

	public static void main(String[] args) throws IOException {
		List<ServerSocketChannel> channels = InheritedChannels.open(System.getenv());
		for (ServerSocketChannel channel : channels) {
			Thread server = new Thread(() -> serve(channel));
			server.setDaemon(true);
			server.start();
		}
		try {
			Thread.sleep(60_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void serve(ServerSocketChannel channel) {
		try {
			while (true) {
				try (SocketChannel client = channel.accept()) {
					int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
					client.write(ByteBuffer.wrap(("port " + port + "\n").getBytes(StandardCharsets.US_ASCII)));
				}
			}
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
	}

}
