package dev.bootcluster.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class WorkerLauncherTests {

	private static final Map<String, String> TIES = Map.of("CLUSTER_WORKER_ID", "3");

	private static final long GIB = 1024 * 1024 * 1024;

	/** A 4 GiB container with 2 processors, whose primary runs G1 with a 1 GiB heap. */
	private static final Machine CONTAINER = new Machine(2, 4 * GIB, "the container's memory limit (cgroup)", GIB,
			List.of("G1 Young Generation", "G1 Old Generation"));

	@TempDir
	Path temp;

	@Test
	void relaunchesABootJarWithDashJarAndTheExactArguments() throws IOException {
		Path jar = executableJar();
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of("-Xmx256m", "-Dname=a b"),
				jar.toString(), jar + " x", List.of("--greeting=hello world", "x"), Map.of("PATH", "/bin"));
		WorkerCommand command = new WorkerLauncher(runtime, List.of("-Xss512k"), Map.of("COLOR", "blue"), 50,
				CONTAINER, null, Duration.ZERO)
			.command(3, 2, TIES);
		assertThat(command.command()).containsExactly("/opt/java/bin/java", "-Xmx256m", "-Dname=a b", "-Xss512k",
				"-XX:ActiveProcessorCount=1", "-XX:+UseG1GC", "-jar", jar.toString(), "--greeting=hello world", "x");
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
	void sizesEachWorkerForItsShareOfTheContainerAndSaysSoOncePerWorkerCount(CapturedOutput output) {
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of(), "/app/classes", "com.example.App",
				List.of(), Map.of());
		WorkerLauncher launcher = new WorkerLauncher(runtime, List.of(), Map.of(), 50, CONTAINER, null, Duration.ZERO);
		assertThat(launcher.command(1, 2, TIES).command()).containsSubsequence("-XX:ActiveProcessorCount=1",
				"-Xmx768m", "-XX:+UseG1GC", "-cp");
		launcher.command(2, 2, TIES);
		assertThat(output.getOut().split("Sizing 2 workers", -1)).hasSize(2);
		assertThat(launcher.command(3, 4, TIES).command()).contains("-Xmx384m");
		assertThat(output.getOut()).contains("Sizing 4 workers for 2 processors and 4096 MiB (the container's memory "
				+ "limit (cgroup), as the JVM reports it): CPU -XX:ActiveProcessorCount=1; heap -Xmx384m");
	}

	@Test
	void aHeapSizedInTheWorkersEnvironmentIsLeftAloneAndAnOvercommitIsAWarning(CapturedOutput output) {
		PrimaryRuntime runtime = new PrimaryRuntime("/opt/java/bin/java", List.of(), "/app/classes", "com.example.App",
				List.of(), Map.of());
		WorkerLauncher launcher = new WorkerLauncher(runtime, List.of(),
				Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+UseParallelGC"), 50, CONTAINER, null,
				Duration.ZERO);
		WorkerCommand command = launcher.command(1, 2, TIES);
		assertThat(command.command()).contains("-XX:ActiveProcessorCount=1")
			.noneMatch((option) -> option.startsWith("-Xmx") || option.startsWith("-XX:+Use"));
		assertThat(output.getOut()).contains(
				"heap as set by the user (-XX:MaxRAMPercentage=75 in JAVA_TOOL_OPTIONS)",
				"GC as set by the user (-XX:+UseParallelGC in JAVA_TOOL_OPTIONS)", "WARN",
				"The cluster's maximum heaps add up to 7168 MiB");
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
