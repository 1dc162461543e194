package dev.bootcluster.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for relay mode with real sockets: the relay in front of plain TCP servers that
 * stand in for workers.
 */
class RelaySocketTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<Backend> backends = new ArrayList<>();

	private final List<Socket> clients = new ArrayList<>();

	private final List<ChildProcess> children = new ArrayList<>();

	private SharedSocket relay;

	@BeforeEach
	void bind() throws IOException {
		this.relay = SharedSocket.bind(SocketMode.RELAY, List.of(new SocketBinding(LOOPBACK, 0, 50)),
				Duration.ofSeconds(2), 100, RelayTransport.TCP);
	}

	@AfterEach
	void close() throws Exception {
		for (Socket client : this.clients) {
			client.close();
		}
		for (ChildProcess child : this.children) {
			if (child.signal("KILL")) {
				child.onExit().get(10, TimeUnit.SECONDS);
			}
		}
		this.relay.close();
		for (Backend backend : this.backends) {
			backend.close();
		}
	}

	@Test
	void relaysBothWaysAndSaysItsMode() throws IOException {
		assertThat(this.relay.mode()).isEqualTo("relay");
		Backend worker = backend(1, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		Socket client = connect();
		assertThat(exchange(client, "hello")).isEqualTo("1:hello");
	}

	@Test
	void eachPortIsRelayedToTheWorkersPortOfTheSameConnector() throws IOException {
		this.relay.close();
		this.relay = SharedSocket.bind(SocketMode.RELAY,
				List.of(new SocketBinding(LOOPBACK, 0, 50), new SocketBinding(LOOPBACK, 0, 50)), Duration.ofSeconds(2), 100, RelayTransport.TCP);
		Backend mainOfOne = backend(1, Backend.Behaviour.ECHO);
		Backend secondOfOne = backend(11, Backend.Behaviour.ECHO);
		Backend mainOfTwo = backend(2, Backend.Behaviour.ECHO);
		Backend secondOfTwo = backend(22, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(mainOfOne.port(), secondOfOne.port()), List.of());
		this.relay.route(2, "127.0.0.1", List.of(mainOfTwo.port(), secondOfTwo.port()), List.of());
		int second = this.relay.ports().get(1);
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			answers.add(exchange(connect(this.relay.port()), "main"));
			answers.add(exchange(connect(second), "second"));
		}
		assertThat(answers).containsExactlyInAnyOrder("1:main", "2:main", "11:second", "22:second");
		this.relay.unroute(1);
		await().untilAsserted(() -> assertThat(exchange(connect(second), "after")).isEqualTo("22:after"));
		assertThat(exchange(connect(second), "after")).isEqualTo("22:after");
	}

	@Test
	void aPortInUseIsABindExceptionNamingIt() throws IOException {
		int taken = this.relay.port();
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> SharedSocket.bind(SocketMode.RELAY,
					List.of(new SocketBinding(LOOPBACK, 0, 50), new SocketBinding(LOOPBACK, taken, 50)),
					Duration.ofSeconds(2), 100, RelayTransport.TCP))
			.withMessageEndingWith(": " + LOOPBACK.getHostAddress() + ":" + taken);
	}

	@Test
	void connectionsWaitInTheQueueUntilAWorkerIsRouted() throws IOException {
		Socket client = connect(); // queued by the kernel: nothing accepts yet
		client.getOutputStream().write("early\n".getBytes(StandardCharsets.UTF_8));
		Backend worker = backend(1, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		assertThat(readLine(client)).isEqualTo("1:early");
	}

	@Test
	void newConnectionsGoToTheWorkerWithFewestOpenAndInTurnAmongEquals() throws IOException {
		Backend one = backend(1, Backend.Behaviour.ECHO);
		Backend two = backend(2, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(one.port()), List.of());
		this.relay.route(2, "127.0.0.1", List.of(two.port()), List.of());
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			answers.add(exchange(connect(), "x")); // each stays open
		}
		assertThat(answers).containsExactlyInAnyOrder("1:x", "1:x", "2:x", "2:x");
		for (int i = 0; i < 4; i++) { // closed one at a time: still in turn
			Socket client = connect();
			answers.add(exchange(client, "y"));
			client.close();
		}
		assertThat(answers.subList(4, 8)).containsExactlyInAnyOrder("1:y", "1:y", "2:y", "2:y");
	}

	@Test
	void anUnroutedWorkerGetsNoNewConnectionsButFinishesItsOwn() throws IOException {
		Backend one = backend(1, Backend.Behaviour.ECHO);
		Backend two = backend(2, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(one.port()), List.of());
		Socket onOne = connect();
		assertThat(exchange(onOne, "a")).isEqualTo("1:a");
		this.relay.route(2, "127.0.0.1", List.of(two.port()), List.of());
		this.relay.unroute(1);
		for (int i = 0; i < 3; i++) {
			assertThat(exchange(connect(), "b")).isEqualTo("2:b");
		}
		assertThat(exchange(onOne, "c")).isEqualTo("1:c");
	}

	@Test
	void aWorkerThatRefusesIsSkippedWithoutLosingTheClient() throws IOException {
		Backend live = backend(2, Backend.Behaviour.ECHO);
		int deadPort;
		try (ServerSocket dead = new ServerSocket(0, 50, LOOPBACK)) {
			deadPort = dead.getLocalPort();
		}
		this.relay.route(1, "127.0.0.1", List.of(deadPort), List.of());
		this.relay.route(2, "127.0.0.1", List.of(live.port()), List.of());
		for (int i = 0; i < 3; i++) {
			assertThat(exchange(connect(), "z")).isEqualTo("2:z");
		}
	}

	@Test
	void halfCloseIsPassedOnAndTheAnswerStillComes() throws IOException {
		Backend worker = backend(1, Backend.Behaviour.ANSWER_AT_END);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		Socket client = connect();
		client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
		client.shutdownOutput();
		assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isEqualTo("1:got 7 bytes");
	}

	@Test
	void aSlowReaderHoldsTheWorkerBackInsteadOfFillingMemory() throws IOException {
		Backend worker = backend(1, Backend.Behaviour.FLOOD);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		Socket client = connect();
		client.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
		AtomicLong last = new AtomicLong(-1);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> worker.written.get() > 0 && last.getAndSet(worker.written.get()) == worker.written.get());
		long stalled = worker.written.get();
		// what got out is what the kernel's socket buffers and the relay's two 16 KiB hold
		assertThat(stalled).isLessThan(32L * 1024 * 1024);
		assertThat(client.getInputStream().readNBytes(4 * 1024 * 1024)).hasSize(4 * 1024 * 1024);
		await().atMost(Duration.ofSeconds(5)).until(() -> worker.written.get() > stalled);
	}

	@Test
	void anIdleConnectionIsClosed() throws IOException {
		Backend worker = backend(1, Backend.Behaviour.ECHO);
		this.relay.route(1, "127.0.0.1", List.of(worker.port()), List.of());
		Socket client = connect();
		assertThat(exchange(client, "hi")).isEqualTo("1:hi");
		client.setSoTimeout(10_000);
		assertThat(client.getInputStream().read()).as("closed by the relay after 2 s idle").isEqualTo(-1);
	}

	@Test
	void workersAreToldToRelayAndSignalsReachThem() throws Exception {
		ChildProcess child = spawn("test \"$CLUSTER_SOCKET_MODE\" = relay && exec sleep 60");
		assertThat(ProcessHandle.of(child.pid())).isPresent();
		assertThat(child.signal("TERM")).isTrue();
		assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofSignal("TERM"));
		ChildProcess failing = spawn("exit 3");
		assertThat(failing.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofCode(3));
	}

	private ChildProcess spawn(String script) throws IOException {
		ChildProcess child = this.relay.spawn(List.of("/bin/sh", "-c", script), Map.of("PATH", "/bin:/usr/bin"));
		this.children.add(child);
		return child;
	}

	private Backend backend(int id, Backend.Behaviour behaviour) throws IOException {
		Backend backend = new Backend(id, behaviour);
		this.backends.add(backend);
		return backend;
	}

	private Socket connect() throws IOException {
		return connect(this.relay.port());
	}

	private Socket connect(int port) throws IOException {
		Socket client = connected(port);
		this.clients.add(client);
		return client;
	}

	/**
	 * A client connected to a port on loopback, whose reads give up after 5 s.
	 */
	static Socket connected(int port) throws IOException {
		Socket client = new Socket();
		client.connect(new InetSocketAddress(LOOPBACK, port), 5000);
		client.setSoTimeout(5000);
		return client;
	}

	static String exchange(Socket client, String line) throws IOException {
		client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
		return readLine(client);
	}

	static String readLine(Socket client) throws IOException {
		StringBuilder line = new StringBuilder();
		InputStream in = client.getInputStream();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0) {
				throw new IOException("Closed after '" + line + "'");
			}
			line.append((char) c);
		}
		return line.toString();
	}

	/**
	 * A TCP server standing in for a worker, a thread per connection.
	 */
	static final class Backend implements AutoCloseable {

		enum Behaviour {

			/** Answers each line with its id and the line. */
			ECHO,

			/** Reads to the end of the stream, then answers how much it got. */
			ANSWER_AT_END,

			/** After a first line, writes without end, counting what it got out. */
			FLOOD,

			/** Resets each connection it takes, unread, as a dying worker does. */
			RESET,

			/** Reads a line and closes without answering. */
			CLOSE_AFTER_A_LINE

		}

		final AtomicLong written = new AtomicLong();

		final AtomicInteger accepted = new AtomicInteger();

		final AtomicInteger lines = new AtomicInteger();

		private final int id;

		private final Behaviour behaviour;

		private final ServerSocket server;

		Backend(int id, Behaviour behaviour) throws IOException {
			this(id, behaviour, new ServerSocket(0, 50, LOOPBACK));
		}

		Backend(int id, Behaviour behaviour, ServerSocket server) {
			this.id = id;
			this.behaviour = behaviour;
			this.server = server;
			Thread acceptor = new Thread(this::accept, "backend-" + id);
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void accept() {
			try {
				while (true) {
					Socket connection = this.server.accept();
					this.accepted.incrementAndGet();
					Thread serving = new Thread(() -> serve(connection));
					serving.setDaemon(true);
					serving.start();
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private void serve(Socket connection) {
			try (connection) {
				InputStream in = connection.getInputStream();
				OutputStream out = connection.getOutputStream();
				switch (this.behaviour) {
					case ECHO -> {
						StringBuilder line = new StringBuilder();
						for (int c = in.read(); c >= 0; c = in.read()) {
							if (c == '\n') {
								this.lines.incrementAndGet();
								out.write((this.id + ":" + line + "\n").getBytes(StandardCharsets.UTF_8));
								line.setLength(0);
							}
							else {
								line.append((char) c);
							}
						}
					}
					case ANSWER_AT_END -> {
						int length = in.readAllBytes().length;
						out.write((this.id + ":got " + length + " bytes").getBytes(StandardCharsets.UTF_8));
					}
					case RESET -> connection.setSoLinger(true, 0);
					case CLOSE_AFTER_A_LINE -> {
						while (in.read() != '\n') {
							// the line
						}
						this.lines.incrementAndGet();
					}
					case FLOOD -> {
						in.read();
						byte[] chunk = new byte[64 * 1024];
						while (true) {
							out.write(chunk);
							this.written.addAndGet(chunk.length);
						}
					}
				}
			}
			catch (SocketTimeoutException ex) {
				// the test is over
			}
			catch (IOException ex) {
				// the relay closed the connection
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
