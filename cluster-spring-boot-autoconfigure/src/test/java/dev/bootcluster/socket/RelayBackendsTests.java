package dev.bootcluster.socket;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelayBackends}: which worker a relay tries next, and how a failed
 * connect backs a worker off without ever dropping it.
 */
class RelayBackendsTests {

	private static final long MS = 1_000_000;

	private final RelayBackends backends = new RelayBackends();

	@Test
	void theWorkerWithTheFewestOpenConnectionsGoesFirstInTurnAmongEquals() {
		route(1);
		route(2);
		List<Integer> picked = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			picked.add(this.backends.next(0).workerId);
		}
		assertThat(picked).containsExactly(1, 2, 1, 2);
		this.backends.next(0).open = 3; // worker 1 is busy
		assertThat(this.backends.next(0).workerId).isEqualTo(2);
		assertThat(this.backends.next(0).workerId).isEqualTo(2);
	}

	@Test
	void aFailedWorkerIsSkippedForABackOffThatDoublesAndEndsByItself() {
		route(1);
		route(2);
		RelayBackends.Backend one = pick(1, 0);
		this.backends.failed(one, 0);
		assertThat(this.backends.untilNextRetry(0)).isEqualTo(50 * MS);
		for (int i = 0; i < 3; i++) {
			assertThat(this.backends.next(10 * MS).workerId).isEqualTo(2);
		}
		assertThat(pick(1, 50 * MS)).isSameAs(one);
		this.backends.failed(one, 50 * MS);
		assertThat(this.backends.untilNextRetry(50 * MS)).as("doubled").isEqualTo(100 * MS);
		for (int i = 0; i < 10; i++) {
			this.backends.failed(one, 0);
		}
		assertThat(this.backends.untilNextRetry(0)).as("capped").isEqualTo(5_000 * MS);
		this.backends.connected(one);
		assertThat(this.backends.untilNextRetry(0)).isEqualTo(Long.MAX_VALUE);
		assertThat(pick(1, 0)).isSameAs(one);
	}

	@Test
	void noWorkerIsOfferedWhileAllBackOffAndNoneCountsAsReachableAfterThreeFailuresEach() {
		route(1);
		RelayBackends.Backend one = this.backends.next(0);
		this.backends.failed(one, 0);
		assertThat(this.backends.next(0)).isNull();
		assertThat(this.backends.unreachable()).isNull();
		this.backends.failed(one, 0);
		this.backends.failed(one, 0);
		assertThat(this.backends.unreachable())
			.isEqualTo("no worker can be reached: worker 1 at /127.0.0.1:8001 failed 3 connects in a row");
		this.backends.connected(one);
		assertThat(this.backends.unreachable()).isNull();
	}

	@Test
	void onlyUnroutingTakesAWorkerOutAndNoWorkerRoutedIsNoFailure() {
		route(1);
		this.backends.unroute(1);
		assertThat(this.backends.isEmpty()).isTrue();
		assertThat(this.backends.next(0)).isNull();
		assertThat(this.backends.unreachable()).isNull();
	}

	@Test
	void theTurnStaysWithinTheWorkersHoweverManyClientsCome() {
		route(1);
		route(2);
		route(3);
		for (int i = 0; i < 10_000; i++) {
			this.backends.next(0);
		}
		this.backends.unroute(3);
		assertThat(this.backends.next(0)).isNotNull();
	}

	private RelayBackends.Backend pick(int workerId, long now) {
		for (int i = 0; i < 4; i++) {
			RelayBackends.Backend backend = this.backends.next(now);
			if (backend != null && backend.workerId == workerId) {
				return backend;
			}
		}
		throw new AssertionError("worker " + workerId + " is not offered");
	}

	private void route(int workerId) {
		this.backends.route(workerId, new InetSocketAddress("127.0.0.1", 8000 + workerId));
	}

}
