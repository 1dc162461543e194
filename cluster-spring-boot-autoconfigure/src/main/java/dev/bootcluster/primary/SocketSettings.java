package dev.bootcluster.primary;

import java.time.Duration;

import dev.bootcluster.socket.SocketMode;

/**
 * How the primary shares its public socket with the workers.
 *
 * @param mode inherit, relay, or auto to pick the best this JVM can do
 * @param relayIdleTimeout how long a relayed connection may carry no byte either way
 * before the relay closes it
 */
public record SocketSettings(SocketMode mode, Duration relayIdleTimeout) {

	/** {@code cluster.mode=auto} and the default relay idle timeout. */
	public static final SocketSettings DEFAULT = new SocketSettings(SocketMode.AUTO, Duration.ofMinutes(5));

}
