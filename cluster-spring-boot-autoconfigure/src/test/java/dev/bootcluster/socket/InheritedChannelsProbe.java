package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A child process for {@link SharedSocketIT} and {@link JdkHandoffIT}: takes over the
 * sockets its parent handed it after standard input and answers each connection on them
 * with the port of the socket it came in on, as a worker's additional connectors would
 * serve; with the argument {@code stdin}, answers each connection on its standard input
 * with its pid instead, as a worker's main connector would.
 */
public final class InheritedChannelsProbe {

	private InheritedChannelsProbe() {
	}

	public static void main(String[] args) throws IOException {
		List<ServerSocketChannel> channels = (args.length > 0 && args[0].equals("stdin"))
				? List.of((ServerSocketChannel) System.inheritedChannel()) : InheritedChannels.open(System.getenv());
		boolean pid = args.length > 0;
		for (ServerSocketChannel channel : channels) {
			Thread server = new Thread(() -> serve(channel, pid));
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

	private static void serve(ServerSocketChannel channel, boolean pid) {
		try {
			while (true) {
				try (SocketChannel client = channel.accept()) {
					String answer = pid ? "pid " + ProcessHandle.current().pid()
							: "port " + ((InetSocketAddress) channel.getLocalAddress()).getPort();
					client.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.US_ASCII)));
				}
			}
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
	}

}
