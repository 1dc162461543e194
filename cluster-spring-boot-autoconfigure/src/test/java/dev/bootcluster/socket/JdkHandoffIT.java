package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.WorkerSpawnException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JdkHandoff}, with real sockets and real child JVMs: the one socket
 * becomes each child's standard input while the JDK starts it, the primary gets its own
 * standard input back, and the kernel spreads connections over the children. The build
 * opens {@code java.base/sun.nio.ch} to this JVM, as the application's manifest would.
 */
class JdkHandoffIT {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<ChildProcess> children = new ArrayList<>();

	private final List<SocketHandoff.Listening> sockets = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (ChildProcess child : this.children) {
			if (child.signal("KILL")) {
				child.onExit().get(10, TimeUnit.SECONDS);
			}
		}
		for (SocketHandoff.Listening socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void theSocketIsEachChildsStandardInputAndThePrimaryGetsItsOwnBack() throws Exception {
		assertThat(JdkHandoff.INSTANCE.unavailableReason(1)).isNull();
		Path standardInput = Path.of("/proc/self/fd/0");
		String before = Files.readSymbolicLink(standardInput).toString();
		SocketHandoff.Listening socket = listen();
		ChildProcess one = spawn(socket);
		ChildProcess two = spawn(socket);
		assertThat(Files.readSymbolicLink(standardInput)).hasToString(before);
		String link = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(socket.fd()))).toString();
		for (ChildProcess child : List.of(one, two)) {
			await().untilAsserted(() -> assertThat(Files
				.readSymbolicLink(Path.of("/proc", Long.toString(child.pid()), "fd", "0"))).hasToString(link));
		}
		Set<String> answered = new HashSet<>();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			answered.add(answer(socket.port()));
			assertThat(answered).containsExactlyInAnyOrder("pid " + one.pid(), "pid " + two.pid());
		});
		one.signal("KILL");
		one.onExit().get(10, TimeUnit.SECONDS);
		for (int i = 0; i < 10; i++) {
			assertThat(answer(socket.port())).as("the queue outlives a child").isEqualTo("pid " + two.pid());
		}
	}

	@Test
	void aWorkerThatCannotBeStartedLeavesThePrimarysStandardInputAsItWas() throws IOException {
		Path standardInput = Path.of("/proc/self/fd/0");
		String before = Files.readSymbolicLink(standardInput).toString();
		SocketHandoff.Listening socket = listen();
		assertThatExceptionOfType(WorkerSpawnException.class)
			.isThrownBy(() -> JdkHandoff.INSTANCE.spawn(List.of("/nonexistent/java"), Map.of(), List.of(socket)))
			.withMessageStartingWith("Cannot start /nonexistent/java: ")
			.withMessageContaining("No such file or directory");
		assertThat(Files.readSymbolicLink(standardInput)).hasToString(before);
	}

	@Test
	void onlyTheMainSocketCanBeHandedOver() throws IOException {
		assertThat(JdkHandoff.INSTANCE.unavailableReason(2))
			.startsWith("the JDK hands a child its standard input only");
		List<SocketHandoff.Listening> two = List.of(listen(), listen());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JdkHandoff.INSTANCE.spawn(List.of("/bin/true"), Map.of(), two));
	}

	private SocketHandoff.Listening listen() throws IOException {
		SocketHandoff.Listening socket = JdkHandoff.INSTANCE.listen(new SocketBinding(LOOPBACK, 0, 50));
		this.sockets.add(socket);
		return socket;
	}

	private ChildProcess spawn(SocketHandoff.Listening socket) throws IOException {
		String java = ProcessHandle.current().info().command().orElseThrow();
		ChildProcess child = JdkHandoff.INSTANCE.spawn(List.of(java, "-cp", System.getProperty("java.class.path"),
				InheritedChannelsProbe.class.getName(), "stdin"), Map.of(), List.of(socket));
		this.children.add(child);
		return child;
	}

	private static String answer(int port) throws IOException {
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(LOOPBACK, port), 5000);
			client.setSoTimeout(5000);
			return new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
		}
	}

}
