package dev.bootcluster.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.process.WorkerSpawnException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SharedSocket} in inherit mode, with real sockets and real child
 * processes. Runs against the packaged multi-release jar, where the FFM calls live.
 */
class SharedSocketIT {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<ChildProcess> children = new ArrayList<>();

	private SharedSocket socket;

	@BeforeEach
	void bind() throws IOException {
		this.socket = inherit(LOOPBACK, 0);
	}

	private static SharedSocket inherit(@Nullable InetAddress address, int port) throws IOException {
		return SharedSocket.bind(SocketMode.INHERIT, List.of(new SocketBinding(address, port, 50)),
				Duration.ofMinutes(1), 100, RelayTransport.TCP);
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (ChildProcess child : this.children) {
			if (child.signal("KILL")) {
				child.onExit().get(10, TimeUnit.SECONDS);
			}
		}
		this.socket.close();
	}

	@Test
	void bindsAnEphemeralPortThatAcceptsConnections() throws IOException {
		assertThat(this.socket.mode()).isEqualTo("inherit");
		assertThat(this.socket.port()).isPositive();
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(LOOPBACK, this.socket.port()), 5000); // queued by the kernel
			assertThat(client.isConnected()).isTrue();
		}
	}

	@Test
	void aPortInUseIsABindExceptionNamingIt() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> inherit(LOOPBACK, this.socket.port()))
			.withMessage("Address already in use: 127.0.0.1:" + this.socket.port());
	}

	@Test
	void theWildcardAddressBindsBothStacks() throws IOException {
		try (SharedSocket wildcard = inherit(null, 0); Socket client = new Socket()) {
			client.connect(new InetSocketAddress("127.0.0.1", wildcard.port()), 5000);
			assertThat(client.isConnected()).isTrue();
		}
	}

	@Test
	void aChildGetsTheSocketAsStandardInputAndNothingElse() throws IOException {
		ChildProcess child = spawn(List.of("/bin/sleep", "60"), Map.of());
		Path descriptors = Path.of("/proc", Long.toString(child.pid()), "fd");
		await().until(() -> Files.readSymbolicLink(descriptors.resolve("0")).toString().startsWith("socket:"));
		assertThat(fileDescriptors(descriptors)).containsExactlyInAnyOrder("0", "1", "2");
		String inherited = Files.readSymbolicLink(descriptors.resolve("0")).toString();
		assertThat(links(Path.of("/proc/self/fd"))).as("the primary's own socket").contains(inherited);
	}

	@Test
	void aChildHasItsOwnProcessGroupNoBlockedSignalsAndExactlyTheGivenEnvironmentMarkedWithTheMode()
			throws IOException {
		ChildProcess child = spawn(List.of("/bin/sleep", "60"), Map.of("GREETING", "hello world"));
		Path proc = Path.of("/proc", Long.toString(child.pid()));
		await().until(() -> Files.readString(proc.resolve("cmdline")).startsWith("/bin/sleep"));
		String stat = Files.readString(proc.resolve("stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		assertThat(fields[2]).as("process group").isEqualTo(Long.toString(child.pid()));
		assertThat(Files.readAllLines(proc.resolve("status"))).contains("SigBlk:\t0000000000000000");
		assertThat(Files.readString(proc.resolve("environ")).split("\0")).containsExactlyInAnyOrder(
				"GREETING=hello world", "CLUSTER_SOCKET_MODE=inherit");
	}

	@Test
	void anExitCodeIsReported() throws IOException {
		ChildProcess child = spawn(List.of("/bin/sh", "-c", "exit 7"), Map.of());
		assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofCode(7));
		assertThat(child.signal("TERM")).as("a reaped process is never signalled").isFalse();
	}

	@Test
	void aSignalIsReportedByName() throws IOException {
		ChildProcess child = spawn(List.of("/bin/sleep", "60"), Map.of());
		assertThat(child.signal("SIGTERM")).isTrue();
		assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofSignal("TERM"));
	}

	@Test
	void aMissingExecutableIsAClearError() {
		assertThatExceptionOfType(WorkerSpawnException.class)
			.isThrownBy(() -> this.socket.spawn(List.of("/nonexistent/java"), Map.of()))
			.withMessage("Cannot start /nonexistent/java: No such file or directory");
	}

	@Test
	void aCommandThatCannotBeStartedIsNamedWithoutItsOptionsOrEnvironment() {
		assertThatExceptionOfType(WorkerSpawnException.class)
			.isThrownBy(() -> this.socket.spawn(List.of("/nonexistent/java", "-Dapp.password=hunter2", "-jar",
					"app.jar"), Map.of("CLUSTER_CONTROL_TOKEN", "s3cr3t")))
			.withMessage("Cannot start /nonexistent/java ... -jar app.jar: No such file or directory");
	}

	@Test
	void aClosedSocketSpawnsNothing() throws IOException {
		this.socket.close();
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.socket.spawn(List.of("/bin/sleep", "60"), Map.of()))
			.withMessage("The shared socket is closed");
	}

	@Test
	void theSocketsOfAdditionalConnectorsFollowStandardErrorAndAChildJvmTakesThemOver() throws Exception {
		this.socket.close();
		this.socket = SharedSocket.bind(SocketMode.INHERIT, List.of(new SocketBinding(LOOPBACK, 0, 50),
				new SocketBinding(LOOPBACK, 0, 50), new SocketBinding(LOOPBACK, 0, 50)), Duration.ofMinutes(1), 100, RelayTransport.TCP);
		List<Integer> ports = this.socket.ports();
		assertThat(ports).hasSize(3).doesNotHaveDuplicates();
		String java = ProcessHandle.current().info().command().orElseThrow();
		ChildProcess child = spawn(List.of(java, "-cp", System.getProperty("java.class.path"),
				InheritedChannelsProbe.class.getName()), Map.of());
		Path descriptors = Path.of("/proc", Long.toString(child.pid()), "fd");
		await().until(() -> Files.readSymbolicLink(descriptors.resolve("0")).toString().startsWith("socket:"));
		List<String> primarys = links(Path.of("/proc/self/fd"));
		for (String fd : List.of("0", "3", "4")) {
			assertThat(primarys).as("the primary's socket at the child's %s", fd)
				.contains(Files.readSymbolicLink(descriptors.resolve(fd)).toString());
		}
		assertThat(Files.readString(Path.of("/proc", Long.toString(child.pid()), "cmdline")))
			.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
		for (int port : ports.subList(1, 3)) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(answer(port)).isEqualTo("port " + port));
		}
	}

	private static String answer(int port) throws IOException {
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(LOOPBACK, port), 5000);
			client.setSoTimeout(5000);
			return new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
		}
	}

	private ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		ChildProcess child = this.socket.spawn(command, environment);
		this.children.add(child);
		return child;
	}

	private static List<String> fileDescriptors(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.map((entry) -> entry.getFileName().toString()).toList();
		}
	}

	private static List<String> links(Path directory) throws IOException {
		List<String> links = new ArrayList<>();
		for (String fd : fileDescriptors(directory)) {
			try {
				links.add(Files.readSymbolicLink(directory.resolve(fd)).toString());
			}
			catch (IOException ex) {
				// closed while listing (the listing's own descriptor)
			}
		}
		return links;
	}

}
