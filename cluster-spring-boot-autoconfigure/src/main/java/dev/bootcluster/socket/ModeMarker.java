package dev.bootcluster.socket;

import java.util.HashMap;
import java.util.Map;

/**
 * How the primary tells each worker which half of the shared sockets to take: an
 * environment variable it starts the worker with.
 */
final class ModeMarker {

	/**
	 * Names the mode, {@link #INHERIT} or {@link #RELAY}. Its name is the relaxed form of
	 * no property the user sets (as {@code CLUSTER_MODE} is of {@code cluster.mode}), so
	 * that a worker never takes the user's setting for its primary's choice.
	 */
	static final String VARIABLE = "CLUSTER_SOCKET_MODE";

	static final String INHERIT = "inherit";

	static final String RELAY = "relay";

	/**
	 * What a primary of an earlier version marks a relayed worker with
	 * ({@code CLUSTER_MODE=relay}), read only where {@link #VARIABLE} is absent: a worker
	 * of this version that such a primary starts (a hot upgrade) takes the right half.
	 */
	private static final String EARLIER_VARIABLE = "CLUSTER_MODE";

	private ModeMarker() {
	}

	/**
	 * Whether the primary that started this worker relays to it.
	 */
	static boolean relayed(Map<String, String> environment) {
		String mode = environment.get(VARIABLE);
		return RELAY.equals((mode != null) ? mode : environment.get(EARLIER_VARIABLE));
	}

	/**
	 * A worker's environment, marked with the mode.
	 */
	static Map<String, String> marked(Map<String, String> environment, String mode) {
		Map<String, String> marked = new HashMap<>(environment);
		marked.put(VARIABLE, mode);
		return marked;
	}

}
