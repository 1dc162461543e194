package dev.bootcluster.launch;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerSizingTests {

	private static final long MIB = 1024 * 1024;

	private static final long GIB = 1024 * MIB;

	private static final List<String> G1 = List.of("G1 Young Generation", "G1 Old Generation");

	/** A 4 GiB container with 2 processors, whose primary has the JVM's default 25 %. */
	private static final Machine CONTAINER = new Machine(2, 4 * GIB, "the container's memory limit (cgroup)", GIB, G1);

	@Test
	void aContainerWithTwoWorkersGivesEachItsShareOfCpuHeapAndThePrimarysCollector() {
		WorkerSizing sizing = new WorkerSizing(List.of(), List.of(), Map.of(), CONTAINER, 50);
		// (4096 - 1024) MiB * 50 % / 2 workers
		assertThat(sizing.options(2)).containsExactly("-XX:ActiveProcessorCount=1", "-Xmx768m", "-XX:+UseG1GC");
		assertThat(sizing.describe(2)).contains("2 workers", "2 processors", "4096 MiB",
				"the container's memory limit (cgroup)", "-Xmx768m (50 % of the 3072 MiB left after the primary's 1024 MiB",
				"GC -XX:+UseG1GC (the primary's [G1 Young Generation, G1 Old Generation]");
		assertThat(sizing.overcommit(2)).isNull();
	}

	@Test
	void theHeapShareFollowsTheWorkersAndThePercentage() {
		Machine machine = new Machine(8, 16 * GIB, "the machine's memory", 4 * GIB, G1);
		assertThat(new WorkerSizing(List.of(), List.of(), Map.of(), machine, 60).options(3))
			.containsExactly("-XX:ActiveProcessorCount=3", "-Xmx2457m", "-XX:+UseG1GC");
		assertThat(new WorkerSizing(List.of(), List.of(), Map.of(), machine, 25).options(4))
			.containsExactly("-XX:ActiveProcessorCount=2", "-Xmx768m", "-XX:+UseG1GC");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4, 7, 16 })
	void theClustersMaximumHeapsStayWithinTheMemory(int workers) {
		for (long memory : List.of(2 * GIB, 4 * GIB, 24 * GIB, 64 * GIB)) {
			Machine machine = new Machine(4, memory, "the machine's memory", memory / 4, G1);
			for (double percentage : List.of(1.0, 50.0, 100.0)) {
				long heap = heapMib(new WorkerSizing(List.of(), List.of(), Map.of(), machine, percentage)
					.options(workers));
				if (heap > WorkerSizing.MIN_HEAP_MIB) {
					assertThat(machine.primaryMaxHeap() + workers * heap * MIB).as("%d bytes, %s %%", memory, percentage)
						.isLessThanOrEqualTo(memory);
				}
			}
		}
	}

	@Test
	void aTinyContainerStillGivesEachWorkerTheSmallestHeap() {
		Machine machine = new Machine(1, 512 * MIB, "the container's memory limit (cgroup)", 256 * MIB, G1);
		WorkerSizing sizing = new WorkerSizing(List.of(), List.of(), Map.of(), machine, 50);
		assertThat(sizing.options(4)).contains("-Xmx64m");
		assertThat(sizing.describe(4)).contains("too small for so many workers");
		assertThat(sizing.describe(2)).doesNotContain("too small");
	}

	@Test
	void aHeapSizedByTheUserAnywhereIsLeftAlone() {
		assertUserSized(new WorkerSizing(List.of("-Xmx1g"), List.of(), Map.of(), CONTAINER, 50),
				"-Xmx1g in the primary's JVM options");
		assertUserSized(new WorkerSizing(List.of(), List.of("-XX:MaxRAMPercentage=30"), Map.of(), CONTAINER, 50),
				"-XX:MaxRAMPercentage=30 in cluster.worker.jvm-args");
		assertUserSized(new WorkerSizing(List.of(), List.of(),
				Map.of("JAVA_TOOL_OPTIONS", "-Dx=y -XX:MaxRAMPercentage=75"), CONTAINER, 50),
				"-XX:MaxRAMPercentage=75 in JAVA_TOOL_OPTIONS");
		assertUserSized(new WorkerSizing(List.of(), List.of(), Map.of("JDK_JAVA_OPTIONS", "-XX:MaxHeapSize=512m"),
				CONTAINER, 50), "-XX:MaxHeapSize=512m in JDK_JAVA_OPTIONS");
		for (String option : List.of("-XX:MaxRAM=2g", "-XX:MinRAMPercentage=60", "-Xms512m",
				"-XX:InitialHeapSize=536870912", "-XX:MaxRAMFraction=2")) {
			assertUserSized(new WorkerSizing(List.of(option), List.of(), Map.of(), CONTAINER, 50), option);
		}
	}

	@Test
	void anInitialRamPercentageAloneDoesNotSizeTheMaximum() {
		assertThat(new WorkerSizing(List.of("-XX:InitialRAMPercentage=50"), List.of(), Map.of(), CONTAINER, 50)
			.options(2)).contains("-Xmx768m");
	}

	@Test
	void heapsTheUserSizedPastTheMemoryAreReportedWithTheWorkersShare() {
		// The primary took 75 % itself, and each worker would take 75 % again.
		Machine machine = new Machine(2, 4 * GIB, "the container's memory limit (cgroup)", 3 * GIB, G1);
		WorkerSizing sizing = new WorkerSizing(List.of(), List.of(), Map.of("JAVA_TOOL_OPTIONS",
				"-XX:MaxRAMPercentage=75"), machine, 50);
		assertThat(sizing.overcommit(2)).contains("9216 MiB", "3072 MiB for each of 2 workers",
				"-XX:MaxRAMPercentage=75 in JAVA_TOOL_OPTIONS", "4096 MiB", "-Xmx256m");
		WorkerSizing xmx = new WorkerSizing(List.of("-Xmx1g"), List.of("-Xmx2g"), Map.of(), CONTAINER, 50);
		assertThat(xmx.overcommit(2)).contains("5120 MiB", "-Xmx2g in cluster.worker.jvm-args");
		assertThat(xmx.overcommit(1)).isNull();
		assertThat(new WorkerSizing(List.of("-Xmx512m"), List.of(), Map.of(), CONTAINER, 50).overcommit(4)).isNull();
	}

	@Test
	void aCollectorChosenByTheUserAnywhereIsLeftAlone() {
		for (WorkerSizing sizing : List.of(
				new WorkerSizing(List.of("-XX:+UseParallelGC"), List.of(), Map.of(), CONTAINER, 50),
				new WorkerSizing(List.of(), List.of("-XX:+UseZGC"), Map.of(), CONTAINER, 50),
				new WorkerSizing(List.of(), List.of(), Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC"), CONTAINER,
						50))) {
			assertThat(sizing.options(2)).containsExactly("-XX:ActiveProcessorCount=1", "-Xmx768m");
			assertThat(sizing.describe(2)).contains("GC as set by the user");
		}
		assertThat(new WorkerSizing(List.of("-XX:+UseGCOverheadLimit"), List.of(), Map.of(), CONTAINER, 50)
			.options(2)).contains("-XX:+UseG1GC");
	}

	@Test
	void processorsSetByTheUserAnywhereAreLeftAlone() {
		assertThat(new WorkerSizing(List.of(), List.of(), Map.of("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=2"),
				CONTAINER, 50).options(2)).containsExactly("-Xmx768m", "-XX:+UseG1GC");
		assertThat(new WorkerSizing(List.of(), List.of("-XX:ActiveProcessorCount=2"), Map.of(), CONTAINER, 50)
			.describe(2)).contains("CPU as set by the user (-XX:ActiveProcessorCount=2 in cluster.worker.jvm-args)");
	}

	@Test
	void eachCollectorOfThePrimaryIsNamedForTheWorkers() {
		assertThat(WorkerSizing.collectorOption(G1)).isEqualTo("-XX:+UseG1GC");
		assertThat(WorkerSizing.collectorOption(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")))
			.isEqualTo("-XX:+UseG1GC");
		assertThat(WorkerSizing.collectorOption(List.of("Copy", "MarkSweepCompact"))).isEqualTo("-XX:+UseSerialGC");
		assertThat(WorkerSizing.collectorOption(List.of("PS MarkSweep", "PS Scavenge")))
			.isEqualTo("-XX:+UseParallelGC");
		assertThat(WorkerSizing.collectorOption(List.of("ZGC Cycles", "ZGC Pauses"))).isEqualTo("-XX:+UseZGC");
		assertThat(WorkerSizing.collectorOption(List.of("ZGC Minor Cycles", "ZGC Major Pauses")))
			.isEqualTo("-XX:+UseZGC");
		assertThat(WorkerSizing.collectorOption(List.of("Shenandoah Pauses", "Shenandoah Cycles")))
			.isEqualTo("-XX:+UseShenandoahGC");
		assertThat(WorkerSizing.collectorOption(List.of("Epsilon Heap"))).isNull();
	}

	@Test
	void withoutAMemoryFigureTheHeapIsLeftToTheJvm() {
		Machine machine = new Machine(2, 0, "the machine's memory", GIB, List.of("Epsilon Heap"));
		WorkerSizing sizing = new WorkerSizing(List.of(), List.of(), Map.of(), machine, 50);
		assertThat(sizing.options(2)).containsExactly("-XX:ActiveProcessorCount=1");
		assertThat(sizing.describe(2)).contains("heap left to the JVM", "GC left to the JVM");
	}

	@Test
	void theFiguresOfThisJvmAreItsOwn() {
		Machine machine = Machine.current();
		assertThat(machine.processors()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(machine.memory()).isPositive();
		assertThat(machine.primaryMaxHeap()).isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory())
			.isLessThan(machine.memory());
		assertThat(WorkerSizing.collectorOption(machine.primaryCollectors())).isNotNull();
	}

	private static void assertUserSized(WorkerSizing sizing, String decision) {
		assertThat(sizing.options(2)).as(decision).noneMatch((option) -> option.startsWith("-Xmx"));
		assertThat(sizing.describe(2)).contains("heap as set by the user (" + decision);
	}

	private static long heapMib(List<String> options) {
		return options.stream()
			.filter((option) -> option.startsWith("-Xmx"))
			.map((option) -> Long.parseLong(option.substring(4, option.length() - 1)))
			.findFirst()
			.orElseThrow();
	}

}
