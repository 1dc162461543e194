package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample jar on the machine's JDK 17, as most of today's Spring Boot users run, with
 * {@code cluster.mode} left to {@code auto}. Launched with {@code java -jar}, whose
 * manifest opens {@code java.base/sun.nio.ch} ({@code Add-Opens}), the primary picks
 * inherit mode by itself, the JDK handing the socket over; launched from the class path,
 * where the JVM reads no {@code Add-Opens}, it picks relay mode and says which line to add.
 * Either way the cluster serves and heals.
 */
class Java17IT {

	@Test
	void withTheManifestsAddOpensTheClusterInheritsTheSocketOnJava17() throws Exception {
		// with Boot's structured logging, as a log shipper reads it
		List<String> command = List.of(java17().toString(), "-jar", SampleCluster.JAR.toString(), "--server.port=0",
				"--cluster.workers=2", "--cluster.mode=auto", "--logging.structured.format.console=ecs");
		String output = servesAndHeals(command, "inherit", "in inherit mode (auto: the workers take the socket "
				+ "themselves, handed over by the JDK as their standard input)");
		List<JsonNode> roles = output.lines()
			.filter((line) -> line.contains("\"message\":\"Started SampleApplication"))
			.map((line) -> SampleCluster.parse(line).get("cluster"))
			.toList();
		assertThat(roles).as("each role's lines carry it as fields")
			.contains(SampleCluster.parse("{\"role\":\"primary\"}"),
					SampleCluster.parse("{\"role\":\"worker\",\"worker\":{\"id\":\"1\"}}"),
					SampleCluster.parse("{\"role\":\"worker\",\"worker\":{\"id\":\"2\"}}"));
	}

	@Test
	void withoutItTheClusterRelaysAndSaysWhatToAdd() throws Exception {
		List<String> command = List.of(java17().toString(), "-cp", SampleCluster.JAR.toString(),
				"org.springframework.boot.loader.launch.JarLauncher", "--server.port=0", "--cluster.workers=2",
				"--cluster.mode=auto");
		servesAndHeals(command, "relay",
				"in relay mode (auto: the primary runs on Java 17 and posix_spawn through the Foreign Function and "
						+ "Memory API needs Java 22 or later, and java.base/sun.nio.ch is not open to the application "
						+ "(add 'Add-Opens: java.base/sun.nio.ch' to the jar's manifest, or start the JVM with "
						+ "--add-opens java.base/sun.nio.ch=ALL-UNNAMED), to workers over Unix domain sockets)");
	}

	private static String servesAndHeals(List<String> command, String mode, String line) throws Exception {
		try (SampleCluster cluster = SampleCluster.start(command, SampleCluster.JAR.getParent())) {
			JsonNode state = cluster.awaitReady(2);
			assertThat(state.get("mode").asString()).isEqualTo(mode);
			assertThat(cluster.output()).contains(line);
			Set<Integer> seen = new HashSet<>();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				seen.add(SampleCluster.parse(cluster.getOnNewConnection("/whoami")).get("worker").asInt());
				assertThat(seen).containsExactlyInAnyOrder(1, 2);
			});
			long victim = state.at("/workers/0/pid").asLong();
			ProcessHandle.of(victim).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> SampleCluster.readyWorkers(cluster.cluster()).size() == 2
						&& cluster.cluster().at("/exits/0/signal").asString().equals("SIGKILL"));
			assertThat(cluster.getOnNewConnection("/whoami")).contains("\"worker\"");
			return cluster.output();
		}
	}

	/**
	 * The JDK 17 the machine has: {@code java} on the path (the CI machine's default), or
	 * one in {@code /usr/lib/jvm}.
	 */
	private static Path java17() throws IOException {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
			Path java = Path.of(directory, "java");
			if (Files.isExecutable(java) && isJava17(java)) {
				return java;
			}
		}
		try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
			return jdks.map((jdk) -> jdk.resolve("bin/java"))
				.filter((java) -> Files.isExecutable(java) && isJava17(java))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"No JDK 17 found on the PATH or in /usr/lib/jvm: this test runs the sample on one"));
		}
	}

	private static boolean isJava17(Path java) {
		try {
			Process version = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
			String output = new String(version.getInputStream().readAllBytes());
			version.waitFor();
			return output.contains("version \"17");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
