package dev.bootcluster.launch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Launches real JVMs with the command lines {@link WorkerLauncher} computes, and reads back
 * how each is sized: the maximum heap and collector a worker really runs with.
 */
class WorkerSizingIT {

	private static final long MIB = 1024 * 1024;

	private static final List<String> G1 = List.of("G1 Young Generation", "G1 Old Generation");

	@Test
	void aWorkerOfTwoInA4GibContainerRunsG1WithItsShareOfTheHeap() throws Exception {
		Machine container = new Machine(2, 4096 * MIB, "a test container", 1024 * MIB, G1);
		WorkerCommand command = launcher(container).command(1, 2, Map.of());
		assertThat(command.command()).contains("-XX:ActiveProcessorCount=1", "-Xmx768m", "-XX:+UseG1GC");
		Map<String, String> sized = run(command.command());
		assertThat(sized).containsEntry("processors", "1")
			.containsEntry("MaxHeapSize", Long.toString(768 * MIB));
		assertThat(sized.get("collectors")).contains("G1 Young Generation");
	}

	@Test
	void withoutTheCollectorOptionAWorkerGivenOneProcessorFallsToSerial() throws Exception {
		Machine container = new Machine(2, 4096 * MIB, "a test container", 1024 * MIB, G1);
		List<String> command = new ArrayList<>(launcher(container).command(1, 2, Map.of()).command());
		assertThat(command.remove("-XX:+UseG1GC")).isTrue();
		assertThat(run(command).get("collectors")).contains("Copy", "MarkSweepCompact");
	}

	@Test
	void aWorkerOfThisMachineRunsThePrimarysCollectorWithinTheMemoryLeft() throws Exception {
		Machine machine = Machine.current();
		List<String> command = launcher(machine).command(1, 2, Map.of()).command();
		Map<String, String> sized = run(command);
		long heap = Long.parseLong(sized.get("MaxHeapSize"));
		assertThat(machine.primaryMaxHeap() + 2 * heap).isLessThanOrEqualTo(machine.memory());
		assertThat(heap).isGreaterThanOrEqualTo(WorkerSizing.MIN_HEAP_MIB * MIB);
		assertThat(WorkerSizing.collectorOption(List.of(sized.get("collectors").replaceAll("[\\[\\]]", "").split(", "))))
			.isEqualTo(WorkerSizing.collectorOption(machine.primaryCollectors()));
	}

	private static WorkerLauncher launcher(Machine machine) throws URISyntaxException {
		String java = ProcessHandle.current().info().command().orElseThrow();
		String classes = Path.of(SizingProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.toString();
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		PrimaryRuntime runtime = new PrimaryRuntime(java, List.of(), classes, SizingProbe.class.getName(), List.of(),
				environment);
		return new WorkerLauncher(runtime, List.of(), Map.of(), WorkerSizing.DEFAULT_HEAP_PERCENTAGE, machine, null,
				Duration.ZERO);
	}

	private static Map<String, String> run(List<String> command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> !name.equals("PATH"));
		Process process = builder.start();
		try {
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(output).isZero();
			Map<String, String> values = new LinkedHashMap<>();
			for (String line : output.split("\\R")) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					values.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
			return values;
		}
		finally {
			process.destroyForcibly();
		}
	}

}
