package dev.bootcluster.socket;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The workers one relay connects clients to, and which it tries next: the routed worker
 * with the fewest open connections, in turn among equals, skipping one whose last connect
 * failed for a back-off that doubles with each failure in a row (50 ms to 5 s) and ends
 * by itself. Failing never takes a worker out for good: only unrouting does (it drains or
 * has exited), so a worker that refused while its accept queue was full, or while it was
 * paused, is routed again as soon as its back-off ends. Used on the relay's thread only.
 */
final class RelayBackends {

	private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

	/** Connects failed in a row, by every routed worker, before none counts as reachable. */
	static final int UNREACHABLE_AFTER = 3;

	private final List<Backend> backends = new ArrayList<>(); // few: one per routed worker

	private int turn; // in [0, backends.size())

	void route(int workerId, SocketAddress address) {
		unroute(workerId);
		this.backends.add(new Backend(workerId, address));
	}

	void unroute(int workerId) {
		this.backends.removeIf((backend) -> backend.workerId == workerId);
		this.turn = 0;
	}

	boolean isEmpty() {
		return this.backends.isEmpty();
	}

	/**
	 * The worker to connect the next client to.
	 * @param now the monotonic time in nanoseconds
	 * @return the worker, or {@code null} if none is routed or out of its back-off
	 */
	@Nullable Backend next(long now) {
		Backend best = null;
		int size = this.backends.size();
		for (int i = 0; i < size; i++) {
			Backend backend = this.backends.get((this.turn + i) % size);
			if (!backend.backingOff(now) && (best == null || backend.open < best.open)) {
				best = backend;
			}
		}
		this.turn = (size > 0) ? (this.turn + 1) % size : 0;
		return best;
	}

	/**
	 * A connect to the worker failed: it gets no new client for its back-off.
	 */
	void failed(Backend backend, long now) {
		backend.failures++;
		backend.retryAt = now + BACKOFF.nanosAfter(backend.failures);
	}

	/**
	 * A connect to the worker succeeded: its back-off is over.
	 */
	void connected(Backend backend) {
		backend.failures = 0;
	}

	/**
	 * How long until a worker in its back-off may be tried again.
	 * @param now the monotonic time in nanoseconds
	 * @return the nanoseconds to wait, or {@link Long#MAX_VALUE} if none is waiting
	 */
	long untilNextRetry(long now) {
		long soonest = Long.MAX_VALUE;
		for (Backend backend : this.backends) {
			if (backend.backingOff(now)) {
				soonest = Math.min(soonest, backend.retryAt - now);
			}
		}
		return soonest;
	}

	/**
	 * Why no client can reach a worker, if so: every routed worker has failed its last
	 * connects.
	 * @return the reason, or {@code null} while some worker can be reached or none is
	 * routed (clients then wait in the kernel's queue, which is not a failure)
	 */
	@Nullable String unreachable() {
		if (this.backends.isEmpty()
				|| this.backends.stream().anyMatch((backend) -> backend.failures < UNREACHABLE_AFTER)) {
			return null;
		}
		return "no worker can be reached: " + this.backends.stream()
			.map((backend) -> "worker " + backend.workerId + " at " + backend.address + " failed "
					+ backend.failures + " connects in a row")
			.collect(Collectors.joining(", "));
	}

	/**
	 * A routed worker and the connections open to it.
	 */
	static final class Backend {

		final int workerId;

		final SocketAddress address;

		int open;

		private int failures;

		private long retryAt;

		Backend(int workerId, SocketAddress address) {
			this.workerId = workerId;
			this.address = address;
		}

		/**
		 * The protocol family of the worker's address, Unix domain or the IP version it
		 * reported.
		 */
		StandardProtocolFamily family() {
			if (this.address instanceof InetSocketAddress inet) {
				return (inet.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
						: StandardProtocolFamily.INET;
			}
			return StandardProtocolFamily.UNIX;
		}

		boolean backingOff(long now) {
			return this.failures > 0 && this.retryAt - now > 0;
		}

	}

}
