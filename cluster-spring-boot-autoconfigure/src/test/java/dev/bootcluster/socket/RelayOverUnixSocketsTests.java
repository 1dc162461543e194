package dev.bootcluster.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for relay mode over Unix domain sockets: the relay in front of plain servers on
 * Unix domain sockets that stand in for workers.
 */
class RelayOverUnixSocketsTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RelaySocket relay;

	private Path directory;

	@BeforeEach
	void bind() throws IOException {
		this.relay = (RelaySocket) SharedSocket.bind(SocketMode.RELAY,
				List.of(new SocketBinding(LOOPBACK, 0, 50), new SocketBinding(LOOPBACK, 0, 50)), Duration.ofMinutes(1),
				100, RelayTransport.UNIX);
		this.directory = this.relay.socketDirectory();
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.relay.close();
	}

	@Test
	void eachPortIsRelayedToTheWorkersSocketForItAndHalfClosesPassOn() throws Exception {
		assertThat(this.relay.reason()).endsWith(", to workers over Unix domain sockets");
		Path main = echo(1, "main");
		Path second = echo(1, "second");
		this.relay.route(1, main.toString(), List.of(8080, 8443), List.of(main.toString(), second.toString()));
		Socket client = connect(this.relay.ports().get(0));
		assertThat(RelaySocketTests.exchange(client, "hello")).isEqualTo("main:hello");
		Socket other = connect(this.relay.ports().get(1));
		assertThat(RelaySocketTests.exchange(other, "there")).isEqualTo("second:there");
		other.shutdownOutput();
		assertThat(other.getInputStream().read()).as("the worker's end after the client's").isEqualTo(-1);
	}

	@Test
	void aWorkerWhoseSocketIsGoneIsSkipped() throws Exception {
		Path gone = this.directory.resolve("1-0.sock");
		Path live = echo(2, "live");
		this.relay.route(1, gone.toString(), List.of(-1, -1), List.of(gone.toString(), gone.toString()));
		this.relay.route(2, live.toString(), List.of(-1, -1), List.of(live.toString(), live.toString()));
		for (int i = 0; i < 4; i++) {
			assertThat(RelaySocketTests.exchange(connect(this.relay.ports().get(0)), "x")).isEqualTo("live:x");
		}
	}

	@Test
	void theDirectoryIsTheUsersAloneIsNamedToWorkersAndGoesWithTheRelay() throws Exception {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory)))
			.isEqualTo("rwx------");
		ChildProcess child = this.relay.spawn(List.of("/bin/sh", "-c",
				"test \"$CLUSTER_RELAY_SOCKETS\" = \"" + this.directory + "\" && test \"$CLUSTER_RELAY_PORTS\" = \""
						+ this.relay.ports().get(0) + "," + this.relay.ports().get(1) + "\""),
				Map.of("PATH", "/bin:/usr/bin"));
		assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofCode(0));
		echo(1, "left behind by a killed worker");
		this.relay.close();
		assertThat(this.directory).doesNotExist();
	}

	@Test
	void whereNoSocketPathFitsAutoRelaysOverTcpAndUnixFails(@TempDir Path temp) throws Exception {
		Path tooLong = Files.createDirectories(temp.resolve("a".repeat(UnixSocketDirectory.MAX_LENGTH)));
		List<SocketBinding> binding = List.of(new SocketBinding(LOOPBACK, 0, 50));
		try (RelaySocket auto = RelaySocket.bind(binding, Duration.ofMinutes(1), 100, RelayTransport.AUTO, tooLong,
				"cluster.mode=relay")) {
			assertThat(auto.socketDirectory()).isNull();
			assertThat(auto.reason()).isEqualTo("cluster.mode=relay, to workers over loopback TCP");
		}
		assertThatIOException()
			.isThrownBy(() -> RelaySocket.bind(binding, Duration.ofMinutes(1), 100, RelayTransport.UNIX, tooLong,
					"cluster.mode=relay"))
			.withMessage("The temporary directory " + tooLong + " has too long a path for Unix domain sockets "
					+ "(java.io.tmpdir); use a shorter one, or cluster.relay.transport=tcp");
		try (Stream<Path> left = Files.list(tooLong)) {
			assertThat(left).isEmpty();
		}
	}

	@Test
	void autoMeansUnixDomainSocketsButOnWindows() {
		assertThat(RelaySocket.unixDomainSockets(RelayTransport.AUTO, "Linux")).isTrue();
		assertThat(RelaySocket.unixDomainSockets(RelayTransport.AUTO, "Mac OS X")).isTrue();
		assertThat(RelaySocket.unixDomainSockets(RelayTransport.AUTO, "Windows Server 2022")).isFalse();
		assertThat(RelaySocket.unixDomainSockets(RelayTransport.UNIX, "Windows 11")).isTrue();
		assertThat(RelaySocket.unixDomainSockets(RelayTransport.TCP, "Linux")).isFalse();
	}

	/**
	 * A server on a Unix domain socket in the relay's directory that answers each line
	 * with its name and the line, and ends its stream when the client ends its own.
	 */
	private Path echo(int workerId, String name) throws IOException {
		Path path = this.directory.resolve(workerId + "-" + name.hashCode() + ".sock");
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(path));
		this.resources.add(server);
		Thread thread = new Thread(() -> {
			try {
				while (true) {
					SocketChannel connection = server.accept();
					Thread serving = new Thread(() -> serve(connection, name));
					serving.setDaemon(true);
					serving.start();
				}
			}
			catch (IOException ex) {
				// closed at the end of the test
			}
		});
		thread.setDaemon(true);
		thread.start();
		return path;
	}

	private static void serve(SocketChannel connection, String name) {
		try (connection) {
			InputStream in = Channels.newInputStream(connection);
			OutputStream out = Channels.newOutputStream(connection);
			StringBuilder line = new StringBuilder();
			for (int c = in.read(); c >= 0; c = in.read()) {
				if (c == '\n') {
					out.write((name + ":" + line + "\n").getBytes(StandardCharsets.UTF_8));
					line.setLength(0);
				}
				else {
					line.append((char) c);
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private Socket connect(int port) throws IOException {
		Socket client = RelaySocketTests.connected(port);
		this.resources.add(client);
		return client;
	}

}
