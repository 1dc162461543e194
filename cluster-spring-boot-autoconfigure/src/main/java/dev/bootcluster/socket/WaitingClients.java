package dev.bootcluster.socket;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Clients a relay accepted whose worker did not take them, kept in order until a worker
 * can; one that has waited longer than the limit is closed, having surely given up. Used
 * on the relay's thread only.
 */
final class WaitingClients {

	private static final long WAIT_LIMIT_NANOS = Duration.ofSeconds(30).toNanos();

	private final Deque<Waiting> clients = new ArrayDeque<>();

	void add(SocketChannel client, long now) {
		this.clients.add(new Waiting(client, now));
	}

	boolean isEmpty() {
		return this.clients.isEmpty();
	}

	/**
	 * The client that has waited longest, closing those that waited too long.
	 * @param now the monotonic time in nanoseconds
	 * @return the client, still waiting, or {@code null} if none is
	 */
	@Nullable SocketChannel first(long now) {
		while (!this.clients.isEmpty() && now - this.clients.peek().since > WAIT_LIMIT_NANOS) {
			RelayedConnection.closeQuietly(this.clients.poll().channel);
		}
		Waiting first = this.clients.peek();
		return (first != null) ? first.channel : null;
	}

	void removeFirst() {
		this.clients.poll();
	}

	void closeAll() {
		this.clients.forEach((client) -> RelayedConnection.closeQuietly(client.channel));
		this.clients.clear();
	}

	private record Waiting(SocketChannel channel, long since) {

	}

}
