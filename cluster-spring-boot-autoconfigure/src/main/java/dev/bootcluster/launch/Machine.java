package dev.bootcluster.launch;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the primary JVM sees of the machine its workers share, and of itself: the figures
 * that {@link WorkerSizing} divides.
 *
 * @param processors the processors available to the JVM ({@code availableProcessors}:
 * the container's CPU quota included)
 * @param memory the memory of the container or machine in bytes, 0 if unknown
 * @param memorySource where {@code memory} comes from, for the log
 * @param primaryMaxHeap the primary's own maximum heap in bytes
 * @param primaryCollectors the names of the primary's garbage collectors
 */
record Machine(int processors, long memory, String memorySource, long primaryMaxHeap,
		List<String> primaryCollectors) {

	private static final Log logger = LogFactory.getLog(Machine.class);

	Machine {
		primaryCollectors = List.copyOf(primaryCollectors);
	}

	/**
	 * The figures of this JVM. The memory is
	 * {@code com.sun.management.OperatingSystemMXBean#getTotalMemorySize()}, which honours
	 * the container's (cgroup v1 or v2) memory limit since JDK 14 and is the machine's
	 * memory without one; it is called a container limit when it is less than the
	 * machine's {@code MemTotal} in {@code /proc/meminfo}. The primary's maximum heap is
	 * its {@code MaxHeapSize} flag, since {@code Runtime.maxMemory()} leaves out one
	 * survivor space under the Serial and Parallel collectors.
	 * @return this JVM's view
	 */
	static Machine current() {
		long memory = 0;
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean hotSpot) {
			memory = Math.max(0, hotSpot.getTotalMemorySize());
		}
		long physical = memTotal();
		String source = (memory > 0 && physical > memory) ? "the container's memory limit (cgroup)"
				: "the machine's memory";
		List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.toList();
		return new Machine(Runtime.getRuntime().availableProcessors(), memory, source, maxHeapSize(), collectors);
	}

	private static long maxHeapSize() {
		try {
			VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.getVMOption("MaxHeapSize");
			return Long.parseLong(option.getValue());
		}
		catch (RuntimeException ex) {
			logger.debug("No MaxHeapSize flag, using Runtime.maxMemory()", ex);
			return Runtime.getRuntime().maxMemory();
		}
	}

	/** The machine's memory in bytes as Linux counts it, or 0 elsewhere. */
	private static long memTotal() {
		Path meminfo = Path.of("/proc/meminfo");
		if (!Files.isReadable(meminfo)) {
			return 0;
		}
		try {
			for (String line : Files.readAllLines(meminfo)) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Cannot read " + meminfo, ex);
		}
		return 0;
	}

}
