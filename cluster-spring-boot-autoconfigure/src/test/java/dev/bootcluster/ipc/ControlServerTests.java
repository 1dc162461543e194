package dev.bootcluster.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ControlServer} and {@link ControlClient} over a real Unix domain
 * socket.
 */
class ControlServerTests {

	private final RecordingServerListener serverEvents = new RecordingServerListener();

	private ControlServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = ControlServer.start(this.serverEvents, Duration.ofMillis(500));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void theSocketLivesInADirectoryOnlyThisUserCanEnter() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.server.address().getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void anExpectedWorkerConnectsAndTalksBothWays() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(4, token);
		RecordingClientListener clientEvents = new RecordingClientListener();
		try (ControlClient client = ControlClient.connect(this.server.address(), 4, token, clientEvents)) {
			client.send(new ControlMessage.Online());
			await().until(() -> this.serverEvents.received.size() == 1);
			ControlConnection connection = this.serverEvents.connected.get(0);
			assertThat(connection.workerId()).isEqualTo(4);
			assertThat(connection.pid()).isEqualTo(ProcessHandle.current().pid());
			assertThat(this.serverEvents.received).containsExactly(new ControlMessage.Online());
			connection.send(new ControlMessage.Disconnect());
			await().until(() -> clientEvents.received.size() == 1);
			assertThat(clientEvents.received).containsExactly(new ControlMessage.Disconnect());
		}
		await().until(() -> this.serverEvents.closed.size() == 1);
		assertThat(this.serverEvents.causes).containsExactly("none");
	}

	@Test
	void aQueryIsAnsweredByItsId() throws Exception {
		JsonNode state = JsonNodeFactory.instance.objectNode().put("workers", 2);
		this.serverEvents.onQuery = (connection, query) -> connection.send(new ControlMessage.QueryReply(query.id(), state));
		String token = ControlServer.newToken();
		this.server.expect(1, token);
		try (ControlClient client = ControlClient.connect(this.server.address(), 1, token,
				new RecordingClientListener())) {
			assertThat(client.query(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).isEqualTo(state);
		}
	}

	@Test
	void anUnansweredQueryTimesOut() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(1, token);
		try (ControlClient client = ControlClient.connect(this.server.address(), 1, token,
				new RecordingClientListener())) {
			CompletableFuture<JsonNode> answer = client.query(Duration.ofMillis(100));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
		}
	}

	@Test
	void aQueryOnAClosedClientFailsAtOnce() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(1, token);
		ControlClient client = ControlClient.connect(this.server.address(), 1, token, new RecordingClientListener());
		client.close();
		assertThat(client.query(ControlMessage.Query.Operation.SCALE, 3, Duration.ofSeconds(5)))
			.failsWithin(Duration.ofSeconds(2))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(ClosedChannelException.class);
	}

	@Test
	void aClientIsBackloggedBeforeItsQueueIsFullSoThatHeartbeatsStillFit() throws Exception {
		this.serverEvents.holding = true; // the primary handles nothing: it reads no more after its window
		String token = ControlServer.newToken();
		this.server.expect(1, token);
		JsonNode payload = JsonNodeFactory.instance.stringNode("x".repeat(400 * 1024));
		try (ControlClient client = ControlClient.connect(this.server.address(), 1, token,
				new RecordingClientListener())) {
			assertThat(client.isBacklogged()).isFalse();
			int sent = 0;
			while (!client.isBacklogged() && sent < 100) {
				client.send(new ControlMessage.Message(payload));
				sent++;
			}
			assertThat(client.isBacklogged()).as("after %d messages", sent).isTrue();
			client.send(new ControlMessage.Heartbeat(1, 0, 1, 1));
			this.serverEvents.held.forEach(Runnable::run);
		}
	}

	@Test
	void aWrongTokenIsDroppedBeforeTheListenerHearsOfIt() throws Exception {
		this.server.expect(2, ControlServer.newToken());
		RecordingClientListener clientEvents = new RecordingClientListener();
		try (ControlClient client = ControlClient.connect(this.server.address(), 2, "guess", clientEvents)) {
			await().until(() -> clientEvents.closed.size() == 1);
		}
		assertThat(this.serverEvents.connected).isEmpty();
	}

	@Test
	void aTokenServesOneConnectionOnly() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(2, token);
		try (ControlClient first = ControlClient.connect(this.server.address(), 2, token,
				new RecordingClientListener())) {
			await().until(() -> this.serverEvents.connected.size() == 1);
			RecordingClientListener secondEvents = new RecordingClientListener();
			try (ControlClient second = ControlClient.connect(this.server.address(), 2, token, secondEvents)) {
				await().until(() -> secondEvents.closed.size() == 1);
			}
			first.send(new ControlMessage.Ready());
			await().until(() -> this.serverEvents.received.contains(new ControlMessage.Ready()));
		}
		assertThat(this.serverEvents.connected).hasSize(1);
	}

	@Test
	void aForgottenWorkerCannotConnect() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(3, token);
		this.server.forget(3);
		RecordingClientListener clientEvents = new RecordingClientListener();
		try (ControlClient client = ControlClient.connect(this.server.address(), 3, token, clientEvents)) {
			await().until(() -> clientEvents.closed.size() == 1);
		}
		assertThat(this.serverEvents.connected).isEmpty();
	}

	@Test
	void aSilentPeerIsDroppedAfterTheHelloTimeout() throws Exception {
		try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(this.server.address()))) {
			assertThat(silent.read(ByteBuffer.allocate(1))).isEqualTo(-1);
		}
	}

	@Test
	void anOversizedHelloIsDropped() throws Exception {
		try (SocketChannel peer = SocketChannel.open(UnixDomainSocketAddress.of(this.server.address()))) {
			peer.write(ByteBuffer.allocate(4).putInt(ControlServer.HELLO_MAX_BYTES + 1).flip());
			assertThat(peer.read(ByteBuffer.allocate(1))).isEqualTo(-1);
		}
	}

	@Test
	void aMalformedFrameFromAWorkerClosesItsConnectionWithTheCause() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(5, token);
		try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			peer.connect(UnixDomainSocketAddress.of(this.server.address()));
			FrameCodec.write(peer, new ControlMessage.Hello(5, token, 99));
			byte[] garbage = "{\"type\":".getBytes(StandardCharsets.UTF_8);
			peer.write(ByteBuffer.allocate(4 + garbage.length).putInt(garbage.length).put(garbage).flip());
			assertThat(peer.read(ByteBuffer.allocate(1))).isEqualTo(-1);
		}
		await().until(() -> this.serverEvents.closed.size() == 1);
		assertThat(this.serverEvents.causes).singleElement().asString().startsWith("Malformed control frame");
	}

	@Test
	void closingTheServerEndsEveryClientAndRemovesTheDirectory() throws Exception {
		String token = ControlServer.newToken();
		this.server.expect(6, token);
		RecordingClientListener clientEvents = new RecordingClientListener();
		try (ControlClient client = ControlClient.connect(this.server.address(), 6, token, clientEvents)) {
			await().until(() -> this.serverEvents.connected.size() == 1);
			this.server.close();
			await().until(() -> clientEvents.closed.size() == 1);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> client.send(new ControlMessage.Ready()));
		}
		assertThat(this.server.address().getParent()).doesNotExist();
	}

	@Test
	void aClientThatCannotConnectSaysWhere() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> ControlClient.connect(this.server.address().resolveSibling("nothing.sock"), 1, "t",
					new RecordingClientListener()))
			.withMessageContaining("nothing.sock");
	}

	interface QueryHandler {

		void answer(ControlConnection connection, ControlMessage.Query query) throws IOException;

	}

	static class RecordingServerListener implements ControlServer.Listener {

		final List<ControlConnection> connected = new CopyOnWriteArrayList<>();

		final List<ControlMessage> received = new CopyOnWriteArrayList<>();

		final List<ControlConnection> closed = new CopyOnWriteArrayList<>();

		final List<String> causes = new CopyOnWriteArrayList<>();

		volatile @Nullable QueryHandler onQuery;

		volatile boolean holding;

		final List<Runnable> held = new CopyOnWriteArrayList<>();

		@Override
		public void connected(ControlConnection connection) {
			this.connected.add(connection);
		}

		@Override
		public void received(ControlConnection connection, ControlMessage message, Runnable handled) {
			if (this.holding) {
				this.held.add(handled);
			}
			else {
				handled.run();
			}
			QueryHandler onQuery = this.onQuery;
			if (message instanceof ControlMessage.Query query && onQuery != null) {
				try {
					onQuery.answer(connection, query);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}
			this.received.add(message);
		}

		@Override
		public void closed(ControlConnection connection, @Nullable Exception cause) {
			this.causes.add((cause != null) ? String.valueOf(cause.getMessage()) : "none");
			this.closed.add(connection);
		}

		@Override
		public void failed(Throwable error) {
			throw new AssertionError("The control server failed", error);
		}

	}

	static class RecordingClientListener implements ControlClient.Listener {

		final List<ControlMessage> received = new CopyOnWriteArrayList<>();

		final List<String> closed = new CopyOnWriteArrayList<>();

		@Override
		public void received(ControlMessage message) {
			this.received.add(message);
		}

		@Override
		public void closed(@Nullable Exception cause) {
			this.closed.add((cause != null) ? String.valueOf(cause.getMessage()) : "none");
		}

	}

}
