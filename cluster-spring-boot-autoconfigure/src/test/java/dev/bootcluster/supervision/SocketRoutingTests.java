package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.socket.SharedSocket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SocketRouting}, on a socket that records what it is told and a clock
 * the test moves.
 */
class SocketRoutingTests {

	private static final Duration LIMIT = Duration.ofSeconds(5);

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final RecordingSocket socket = new RecordingSocket();

	private final List<String> told = new CopyOnWriteArrayList<>();

	private final SocketRouting routing = new SocketRouting(() -> this.socket, new WorkerListener() {

		@Override
		public void ready(SupervisedWorker worker) {
			SocketRoutingTests.this.told.add("ready " + worker.id() + " after " + SocketRoutingTests.this.socket.calls);
		}

	}, this.now::get);

	@Test
	void aWorkerIsRoutedFromReadyBeforeTheApplicationHearsOfItUntilItDrainsOrExits() {
		SupervisedWorker worker = ready(1);
		assertThat(this.told).containsExactly("ready 1 after [route 1:8081]");
		this.routing.disconnecting(worker);
		this.routing.exited(worker, ProcessExit.ofCode(0), WorkerExitCause.DISCONNECTED);
		assertThat(this.socket.calls).containsExactly("route 1:8081", "unroute 1", "unroute 1");
	}

	@Test
	void aReadyWorkerSilentPastTheLimitGetsNoNewConnectionsUntilItIsHeardAgain() {
		SupervisedWorker silent = ready(1);
		SupervisedWorker held = ready(2);
		this.now.addAndGet(LIMIT.plusMillis(1).toNanos());
		this.routing.checkSilence(List.of(silent, held), LIMIT, (worker) -> worker == held);
		this.routing.checkSilence(List.of(silent, held), LIMIT, (worker) -> worker == held);
		assertThat(this.socket.calls).as("a worker whose frames wait for the primary is heard")
			.containsExactly("route 1:8081", "route 2:8082", "unroute 1");
		silent.seen(this.now.get());
		held.seen(this.now.get());
		this.routing.checkSilence(List.of(silent, held), LIMIT, (worker) -> false);
		assertThat(this.socket.calls).endsWith("unroute 1", "route 1:8081");
	}

	private SupervisedWorker ready(int id) {
		SupervisedWorker worker = new SupervisedWorker(TestProcess.NO_CONTROL, id, id, 0, new TestProcess(4000 + id), this.now.get(), 0);
		worker.listening("127.0.0.1", 8080 + id, List.of(), List.of());
		worker.ready(this.now.get());
		worker.seen(this.now.get());
		this.routing.ready(worker);
		return worker;
	}

	private static final class RecordingSocket implements SharedSocket {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public String mode() {
			return "relay";
		}

		@Override
		public String reason() {
			return "cluster.mode=relay";
		}

		@Override
		public List<Integer> ports() {
			return List.of(8080);
		}

		@Override
		public ChildProcess spawn(List<String> command, Map<String, String> environment) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void route(int workerId, String address, List<Integer> ports, List<String> socketPaths) {
			this.calls.add("route " + workerId + ":" + ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
		}

		@Override
		public void unroute(int workerId) {
			this.calls.add("unroute " + workerId);
		}

		@Override
		public void close() {
		}

	}

}
