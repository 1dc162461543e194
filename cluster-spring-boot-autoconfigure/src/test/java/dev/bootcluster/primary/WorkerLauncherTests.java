package dev.bootcluster.primary;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerLauncherTests {

	private static final Map<String, String> TIES = Map.of("CLUSTER_WORKER_ID", "3");

	@TempDir
	Path temp;

	@Test
	void relaunchesABootJarWithDashJarAndTheExactArguments() throws IOException {
		Path jar = executableJar();
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of("-Xmx256m", "-Dname=a b"),
				jar.toString(), jar + " x", List.of("--greeting=hello world", "x"), Map.of("PATH", "/bin"));
		WorkerCommand command = new WorkerLauncher(runtime, List.of("-Xss512k"), Map.of("COLOR", "blue"))
			.command(3, 2, TIES);
		assertThat(command.command()).containsExactly("/opt/java/bin/java", "-Xmx256m", "-Dname=a b", "-Xss512k",
				"-XX:ActiveProcessorCount=" + share(2), "-jar", jar.toString(), "--greeting=hello world", "x");
		assertThat(command.environment()).containsEntry("PATH", "/bin")
			.containsEntry("COLOR", "blue")
			.containsEntry("CLUSTER_WORKER_ID", "3");
	}

	@Test
	void relaunchesAClassPathLaunchWithItsMainClass() {
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of(), "/app/classes:/app/lib/a.jar",
				"com.example.App --x", List.of("--x"), Map.of());
		assertThat(new WorkerLauncher(runtime, List.of(), Map.of()).command(1, 1, TIES).command())
			.containsSubsequence("-cp", "/app/classes:/app/lib/a.jar", "com.example.App", "--x");
	}

	@Test
	void failsClearlyWhenTheMainClassIsUnknown() {
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of(), "/app/classes", null, List.of(),
				Map.of());
		assertThatIllegalStateException().isThrownBy(() -> new WorkerLauncher(runtime, List.of(), Map.of()))
			.withMessageContaining("main class");
	}

	@Test
	void dropsOptionsWhosePortsWouldCollideAndThoseTheLauncherReadsAgain() {
		List<String> options = JvmOptions.forWorkers(
				List.of("-Dtool=1", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005",
						"-Dcom.sun.management.jmxremote.port=9010", "-Xmx1g", "-agentlib:jdwp=transport=dt_socket,server=n"),
				Map.of("JAVA_TOOL_OPTIONS", "-Dtool=1"));
		assertThat(options).containsExactly("-Xmx1g", "-agentlib:jdwp=transport=dt_socket,server=n");
	}

	@Test
	void namesOutputFilesPerWorker() {
		assertThat(JvmOptions.perWorker(List.of("-XX:HeapDumpPath=/dumps/app.hprof", "-XX:HeapDumpPath=/dumps",
				"-Xlog:gc*:file=/logs/gc.log:time", "-Xlog:gc:file=/logs/gc-%p.log",
				"-XX:StartFlightRecording=duration=30s,filename=/rec/app.jfr", "-Xmx1g"), 4))
			.containsExactly("-XX:HeapDumpPath=/dumps/app-worker-4.hprof", "-XX:HeapDumpPath=/dumps",
					"-Xlog:gc*:file=/logs/gc-worker-4.log:time", "-Xlog:gc:file=/logs/gc-%p.log",
					"-XX:StartFlightRecording=duration=30s,filename=/rec/app-worker-4.jfr", "-Xmx1g");
	}

	@Test
	void sizesEachWorkerForItsShareUnlessTold() {
		assertThat(JvmOptions.sizing(List.of(), 4, 8)).containsExactly("-XX:ActiveProcessorCount=2");
		assertThat(JvmOptions.sizing(List.of(), 4, 2)).containsExactly("-XX:ActiveProcessorCount=1");
		assertThat(JvmOptions.sizing(List.of(), 3, 8)).containsExactly("-XX:ActiveProcessorCount=3");
		assertThat(JvmOptions.sizing(List.of("-XX:ActiveProcessorCount=6"), 4, 8)).isEmpty();
	}

	private static int share(int workers) {
		int processors = Runtime.getRuntime().availableProcessors();
		return Math.max(1, (processors + workers - 1) / workers);
	}

	private Path executableJar() throws IOException {
		Path jar = this.temp.resolve("app.jar");
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
			jarOut.flush();
		}
		return jar;
	}

}
