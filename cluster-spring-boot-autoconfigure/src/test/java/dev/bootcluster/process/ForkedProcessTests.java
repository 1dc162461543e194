package dev.bootcluster.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ForkedProcess}: a command that cannot be started is a
 * {@link WorkerSpawnException} that names it and says why, and tells neither its options
 * nor its environment.
 */
class ForkedProcessTests {

	@Test
	void aMissingExecutableIsAWorkerSpawnExceptionNamingTheCommandAndWhy() {
		List<String> command = List.of("/nonexistent/bin/java", "-Dapp.password=hunter2", "-jar", "app.jar",
				"--server.port=0");
		assertThatExceptionOfType(WorkerSpawnException.class)
			.isThrownBy(() -> ForkedProcess.start(command, Map.of("CLUSTER_CONTROL_TOKEN", "s3cr3t")))
			.withMessageStartingWith("Cannot start /nonexistent/bin/java ... -jar app.jar ...: ")
			.withMessageContaining("No such file or directory")
			.withMessageNotContaining("hunter2")
			.withMessageNotContaining("s3cr3t")
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void aClassPathCommandIsNamedByItsMainClass() {
		List<String> command = List.of("/nonexistent/bin/java", "-cp", "a.jar:b.jar", "com.example.App");
		assertThatExceptionOfType(WorkerSpawnException.class)
			.isThrownBy(() -> ForkedProcess.start(command, Map.of()))
			.withMessageStartingWith("Cannot start /nonexistent/bin/java -cp ... com.example.App: ");
	}

	@Test
	void aCommandThatStartsIsAProcess() throws Exception {
		ForkedProcess process = ForkedProcess.start(List.of("/bin/true"), Map.of());
		assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(ProcessExit.ofCode(0));
	}

}
