package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.RelayTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.bootcluster.socket.RelaySocketTests.exchange;
import static dev.bootcluster.socket.RelaySocketTests.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the faults relay mode survives without black-holing: a worker that refuses
 * and recovers, one that does not answer a connect, the address a worker reports, the
 * relay's thread dying, and the cap on relayed connections.
 */
class RelayFaultsTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RelaySocket relay;

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void aWorkerThatRefusedIsRoutedAgainByItselfOnceItAccepts() throws Exception {
		relay(100);
		RelaySocketTests.Backend live = backend(2);
		int port = freePort();
		this.relay.route(1, "127.0.0.1", List.of(port), List.of());
		this.relay.route(2, "127.0.0.1", List.of(live.port()), List.of());
		for (int i = 0; i < 4; i++) {
			assertThat(exchange(connect(), "a")).isEqualTo("2:a");
		}
		ServerSocket recovered = new ServerSocket(port, 50, LOOPBACK);
		this.resources.add(recovered);
		RelaySocketTests.Backend one = new RelaySocketTests.Backend(1, RelaySocketTests.Backend.Behaviour.ECHO,
				recovered);
		this.resources.add(one);
		Set<String> answers = new HashSet<>();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			answers.add(exchange(connect(), "b"));
			assertThat(answers).contains("1:b", "2:b");
		});
		assertThat(this.relay.failure()).isNull();
	}

	@Test
	void aClientThatAWorkerResetsBeforeAnsweringGoesToAnotherWorkerWithWhatItSent() throws Exception {
		relay(100);
		RelaySocketTests.Backend dying = backend(1, RelaySocketTests.Backend.Behaviour.RESET);
		RelaySocketTests.Backend live = backend(2);
		this.relay.route(1, "127.0.0.1", List.of(dying.port()), List.of());
		this.relay.route(2, "127.0.0.1", List.of(live.port()), List.of());
		for (int i = 0; i < 4; i++) {
			assertThat(exchange(connect(), "sent " + i)).isEqualTo("2:sent " + i);
		}
		assertThat(dying.accepted.get()).as("the first went to the dying worker").isPositive();
		assertThat(live.lines.get()).as("each line once").isEqualTo(4);
	}

	@Test
	void aClientWhoseBytesAWorkerReadIsNotRetriedNorIsARetry() throws Exception {
		relay(100);
		RelaySocketTests.Backend reader = backend(1, RelaySocketTests.Backend.Behaviour.CLOSE_AFTER_A_LINE);
		RelaySocketTests.Backend live = backend(2);
		this.relay.route(1, "127.0.0.1", List.of(reader.port()), List.of());
		this.relay.route(2, "127.0.0.1", List.of(live.port()), List.of());
		Socket client = connect(); // the first goes to the first routed worker
		client.getOutputStream().write("once\n".getBytes(StandardCharsets.UTF_8));
		assertThat(client.getInputStream().read()).as("closed unanswered, as the worker left it").isEqualTo(-1);
		assertThat(reader.lines.get()).isEqualTo(1);
		assertThat(live.lines.get()).as("not sent again").isZero();
		this.relay.unroute(2);
		RelaySocketTests.Backend alsoDying = backend(3, RelaySocketTests.Backend.Behaviour.RESET);
		RelaySocketTests.Backend dying = backend(4, RelaySocketTests.Backend.Behaviour.RESET);
		this.relay.unroute(1);
		this.relay.route(3, "127.0.0.1", List.of(alsoDying.port()), List.of());
		this.relay.route(4, "127.0.0.1", List.of(dying.port()), List.of());
		Socket unlucky = connect();
		unlucky.getOutputStream().write("twice\n".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(IOException.class).as("cut after one retry").isThrownBy(() -> readLine(unlucky));
		assertThat(alsoDying.accepted.get() + dying.accepted.get()).isEqualTo(2);
	}

	@Test
	void whenNoWorkerCanBeReachedTheSocketSaysSoUntilOneCan() throws Exception {
		relay(100);
		int port = freePort();
		this.relay.route(1, "127.0.0.1", List.of(port), List.of());
		Socket waiting = connect();
		waiting.getOutputStream().write("early\n".getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> String.valueOf(this.relay.unreachable()).startsWith("no worker can be reached: worker 1 at"));
		assertThat(this.relay.failure()).as("a failure for good").isNull();
		ServerSocket recovered = new ServerSocket(port, 50, LOOPBACK);
		this.resources.add(recovered);
		this.resources.add(new RelaySocketTests.Backend(1, RelaySocketTests.Backend.Behaviour.ECHO, recovered));
		assertThat(readLine(waiting)).as("the client kept while no worker could take it").isEqualTo("1:early");
		await().until(() -> this.relay.unreachable() == null);
	}

	@Test
	void aConnectThatIsNotAnsweredTimesOutAndTheClientGoesToAnotherWorker() throws Exception {
		relay(100);
		ServerSocket stuck = new ServerSocket(0, 1, LOOPBACK); // never accepts: its queue fills
		this.resources.add(stuck);
		for (int i = 0; i < 4; i++) {
			Socket filler = new Socket();
			this.resources.add(filler);
			try {
				filler.connect(new InetSocketAddress(LOOPBACK, stuck.getLocalPort()), 200);
			}
			catch (SocketTimeoutException ex) {
				break; // the queue is full: connects hang from here on
			}
		}
		RelaySocketTests.Backend live = backend(2);
		this.relay.route(1, "127.0.0.1", List.of(stuck.getLocalPort()), List.of());
		this.relay.route(2, "127.0.0.1", List.of(live.port()), List.of());
		for (int i = 0; i < 4; i++) {
			Socket client = connect();
			client.setSoTimeout(10_000);
			assertThat(exchange(client, "c")).isEqualTo("2:c");
		}
	}

	@Test
	void theRelayDialsTheAddressTheWorkerReportedFamilyIncluded() throws Exception {
		assertThat(RelaySocket.dialable("127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(RelaySocket.dialable("::1").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(RelaySocket.dialable("0.0.0.0").getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(RelaySocket.dialable("::").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(RelaySocket.dialable("").getHostAddress()).isEqualTo("127.0.0.1");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> RelaySocket.dialable("no.such."));
		relay(100);
		ServerSocket onIpv6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
		this.resources.add(onIpv6);
		this.resources.add(new RelaySocketTests.Backend(1, RelaySocketTests.Backend.Behaviour.ECHO, onIpv6));
		this.relay.route(1, "::1", List.of(onIpv6.getLocalPort()), List.of());
		assertThat(exchange(connect(), "v6")).isEqualTo("1:v6");
	}

	@Test
	void aRelayWhoseThreadDiesIsReplacedAndServesNewConnections() throws Exception {
		relay(100);
		RelaySocketTests.Backend worker = backend(1);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		assertThat(exchange(connect(), "before")).isEqualTo("1:before");
		this.relay.onRelayThread(0, () -> {
			throw new OutOfMemoryError("injected");
		});
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			assertThat(exchange(connect(), "after")).isEqualTo("1:after");
			assertThat(this.relay.failure()).isNull();
		});
	}

	@Test
	void aRelayThatKeepsDyingStaysFailed() throws Exception {
		relay(100);
		RelaySocketTests.Backend worker = backend(1);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		for (int i = 0; i <= RelaySocket.RESTARTS; i++) {
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(exchange(connect(), "x")).isEqualTo("1:x"));
			this.relay.onRelayThread(0, () -> {
				throw new OutOfMemoryError("injected");
			});
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "the relay: java.lang.OutOfMemoryError: injected".equals(this.relay.failure()));
	}

	@Test
	void beyondTheCapClientsWaitInTheKernelsQueue() throws Exception {
		relay(2);
		RelaySocketTests.Backend worker = backend(1);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		Socket first = connect();
		assertThat(exchange(first, "1")).isEqualTo("1:1");
		assertThat(exchange(connect(), "2")).isEqualTo("1:2");
		Socket third = connect(); // connected by the kernel, not yet accepted by the relay
		third.getOutputStream().write("3\n".getBytes(StandardCharsets.UTF_8));
		third.setSoTimeout(500);
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> third.getInputStream().read());
		first.close();
		third.setSoTimeout(5000);
		assertThat(readLine(third)).isEqualTo("1:3");
	}

	private void relay(int maxConnections) throws IOException {
		this.relay = RelaySocket.bind(List.of(new SocketBinding(LOOPBACK, 0, 50)), Duration.ofMinutes(1),
				maxConnections, RelayTransport.TCP, "cluster.mode=relay");
		this.resources.add(this.relay);
	}

	private RelaySocketTests.Backend backend(int id) throws IOException {
		return backend(id, RelaySocketTests.Backend.Behaviour.ECHO);
	}

	private RelaySocketTests.Backend backend(int id, RelaySocketTests.Backend.Behaviour behaviour) throws IOException {
		RelaySocketTests.Backend backend = new RelaySocketTests.Backend(id, behaviour);
		this.resources.add(backend);
		return backend;
	}

	private Socket connect() throws IOException {
		Socket client = new Socket();
		this.resources.add(client);
		client.connect(new InetSocketAddress(LOOPBACK, this.relay.port()), 5000);
		client.setSoTimeout(5000);
		return client;
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 50, LOOPBACK)) {
			return probe.getLocalPort();
		}
	}

}
