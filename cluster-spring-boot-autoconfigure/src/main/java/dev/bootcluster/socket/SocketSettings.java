package dev.bootcluster.socket;

import java.time.Duration;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;

/**
 * How the primary shares its public socket with the workers.
 *
 * @param mode inherit, relay, or auto to pick the best this JVM can do
 * @param relayIdleTimeout how long a relayed connection may carry no byte either way
 * before the relay closes it
 * @param relayMaxConnections how many connections each port relays at once
 * @param relayTransport how the relay reaches workers
 * @param silenceLimit how long a ready worker may go unheard before it gets no new
 * connections (in relay mode) until it is heard again: two and a half heartbeats
 */
public record SocketSettings(SocketMode mode, Duration relayIdleTimeout, int relayMaxConnections,
		RelayTransport relayTransport, Duration silenceLimit) {

	/** {@code cluster.mode=auto} and the defaults of the relay and of the heartbeat. */
	public static final SocketSettings DEFAULT = new SocketSettings(SocketMode.AUTO, Duration.ofMinutes(5), 4096,
			RelayTransport.AUTO, Duration.ofSeconds(5));

}
