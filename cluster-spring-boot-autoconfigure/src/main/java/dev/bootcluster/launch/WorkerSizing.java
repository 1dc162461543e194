package dev.bootcluster.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Sizes each worker's JVM for its share of the container or machine, for each of the
 * three choices the user has not made already:
 * <ul>
 * <li>CPU: {@code -XX:ActiveProcessorCount} of the processors divided by the workers,
 * rounded up, so that N JVMs do not each size their GC, JIT and pools for all of them;</li>
 * <li>heap: {@code -Xmx} of {@code (memory - primary's max heap) * heapPercentage / 100 / workers},
 * so that the maximum heaps of the whole cluster stay within the memory, leaving the rest
 * to every JVM's non-heap memory (metaspace, code cache, thread stacks, GC structures,
 * direct buffers);</li>
 * <li>GC: the collector the primary runs, which is the JVM's own choice for the real
 * machine, so that a worker given one processor does not fall to the Serial collector.</li>
 * </ul>
 * The user has decided a choice when an option that makes it is in {@code JAVA_TOOL_OPTIONS}
 * or {@code JDK_JAVA_OPTIONS} of the workers' environment, in the primary's JVM options
 * that workers inherit, or in {@code cluster.worker.jvm-args}. For the heap, each option
 * that sets the maximum heap or bounds it counts: {@code -Xmx}, {@code -XX:MaxHeapSize},
 * {@code -XX:MaxRAM}, {@code -XX:MaxRAMPercentage}, {@code -XX:MinRAMPercentage} (the
 * maximum on small machines), the older {@code -XX:Max/MinRAMFraction},
 * {@code -XX:ErgoHeapSizeLimit}, and {@code -Xms} / {@code -XX:InitialHeapSize} (a JVM whose
 * initial heap exceeds its maximum does not start). {@code -XX:InitialRAMPercentage} does
 * not: the JVM caps the initial heap at the maximum.
 */
final class WorkerSizing {

	/**
	 * The default share of the memory left after the primary's heap that the workers' heaps
	 * take together. The JVM's own default (25 % of the memory for one JVM) assumes a JVM
	 * shares the machine with others; a cluster usually has its container to itself, but
	 * each of its JVMs needs non-heap memory of its own (200–400 MiB for a Spring Boot web
	 * application). Half for the workers' heaps leaves the other half for the non-heap of
	 * every JVM: in a 4 GiB container with 2 workers, 768 MiB of heap each and 1.5 GiB for
	 * the non-heap of three JVMs. The common single-JVM setting of 75 % would leave one
	 * JVM's worth of non-heap to N + 1 JVMs.
	 */
	static final double DEFAULT_HEAP_PERCENTAGE = 50;

	/** The smallest heap a worker is given, however small its share. */
	static final long MIN_HEAP_MIB = 64;

	private static final long MIB = 1024 * 1024;

	private static final List<String> HEAP_OPTIONS = List.of("-Xmx", "-Xms", "-XX:MaxHeapSize=",
			"-XX:InitialHeapSize=", "-XX:MaxRAM=", "-XX:MaxRAMPercentage=", "-XX:MinRAMPercentage=",
			"-XX:MaxRAMFraction=", "-XX:MinRAMFraction=", "-XX:ErgoHeapSizeLimit=");

	private static final Pattern GC_OPTION = Pattern.compile("-XX:\\+Use\\w+GC");

	private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgGtT]?)");

	private final Machine machine;

	private final double heapPercentage;

	private final @Nullable Decision processors;

	private final @Nullable Decision heap;

	private final @Nullable Decision maxHeap;

	private final @Nullable Decision maxRamPercentage;

	private final @Nullable Decision collector;

	private final @Nullable String primaryCollector;

	/**
	 * Reads what the user decided.
	 * @param inherited the primary's options that workers get
	 * @param extra the options of {@code cluster.worker.jvm-args}
	 * @param environment the workers' environment
	 * @param machine what the primary sees
	 * @param heapPercentage the share of the memory left after the primary for all workers'
	 * heaps together
	 */
	WorkerSizing(List<String> inherited, List<String> extra, Map<String, String> environment, Machine machine,
			double heapPercentage) {
		this.machine = machine;
		this.heapPercentage = heapPercentage;
		// In the order the JVM reads them: the last one wins.
		List<Decision> options = new ArrayList<>();
		for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
			String value = environment.get(variable);
			if (value != null && !value.isBlank()) {
				for (String option : value.trim().split("\\s+")) {
					options.add(new Decision(option, variable));
				}
			}
		}
		inherited.forEach((option) -> options.add(new Decision(option, "the primary's JVM options")));
		extra.forEach((option) -> options.add(new Decision(option, "cluster.worker.jvm-args")));
		this.processors = last(options, (option) -> option.startsWith("-XX:ActiveProcessorCount="));
		this.heap = last(options, (option) -> HEAP_OPTIONS.stream().anyMatch(option::startsWith));
		this.maxHeap = last(options, (option) -> option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize="));
		this.maxRamPercentage = last(options, (option) -> option.startsWith("-XX:MaxRAMPercentage=")
				&& options.stream().noneMatch((other) -> other.option().startsWith("-XX:MaxRAM=")));
		this.collector = last(options, (option) -> GC_OPTION.matcher(option).matches());
		this.primaryCollector = collectorOption(machine.primaryCollectors());
	}

	private static @Nullable Decision last(List<Decision> options, Predicate<String> test) {
		Decision found = null;
		for (Decision decision : options) {
			if (test.test(decision.option())) {
				found = decision;
			}
		}
		return found;
	}

	/**
	 * The option that runs the same collector as a JVM whose collectors have these names.
	 * @param names the names of the {@code GarbageCollectorMXBean}s
	 * @return the option, or {@code null} for a collector not known here
	 */
	static @Nullable String collectorOption(List<String> names) {
		for (String name : names) {
			if (name.startsWith("G1 ")) {
				return "-XX:+UseG1GC";
			}
			if (name.equals("Copy") || name.equals("MarkSweepCompact")) {
				return "-XX:+UseSerialGC";
			}
			if (name.startsWith("PS ")) {
				return "-XX:+UseParallelGC";
			}
			if (name.startsWith("ZGC")) {
				return "-XX:+UseZGC";
			}
			if (name.startsWith("Shenandoah")) {
				return "-XX:+UseShenandoahGC";
			}
		}
		return null;
	}

	/**
	 * The options that size a worker when this many workers share the machine.
	 * @param workers the number of workers
	 * @return the options to add to the worker's command line
	 */
	List<String> options(int workers) {
		List<String> options = new ArrayList<>(3);
		if (this.processors == null) {
			options.add("-XX:ActiveProcessorCount=" + processorShare(workers));
		}
		if (this.heap == null && this.machine.memory() > 0) {
			options.add("-Xmx" + heapShareMib(workers) + "m");
		}
		if (this.collector == null && this.primaryCollector != null) {
			options.add(this.primaryCollector);
		}
		return options;
	}

	private int processorShare(int workers) {
		int count = Math.max(1, workers);
		return Math.max(1, (this.machine.processors() + count - 1) / count);
	}

	private long memoryLeft() {
		return Math.max(0, this.machine.memory() - this.machine.primaryMaxHeap());
	}

	private long heapShareMib(int workers) {
		return Math.max(MIN_HEAP_MIB, rawHeapShareMib(workers));
	}

	private long rawHeapShareMib(int workers) {
		return (long) (memoryLeft() * this.heapPercentage / 100 / Math.max(1, workers)) / MIB;
	}

	/**
	 * What each worker gets and why, for the log.
	 * @param workers the number of workers
	 * @return one line
	 */
	String describe(int workers) {
		StringBuilder line = new StringBuilder();
		line.append("Sizing ").append(workers).append((workers == 1) ? " worker" : " workers").append(" for ");
		line.append(this.machine.processors()).append(" processors and ");
		line.append((this.machine.memory() > 0) ? mib(this.machine.memory()) + " (" + this.machine.memorySource()
				+ ", as the JVM reports it)" : "an unknown memory");
		line.append(": CPU ");
		line.append((this.processors != null) ? this.processors.asSetByTheUser()
				: "-XX:ActiveProcessorCount=" + processorShare(workers));
		line.append("; heap ");
		if (this.heap != null) {
			line.append(this.heap.asSetByTheUser());
		}
		else if (this.machine.memory() > 0) {
			line.append("-Xmx").append(heapShareMib(workers)).append("m (").append(percentage()).append(" of the ");
			line.append(mib(memoryLeft())).append(" left after the primary's ");
			line.append(mib(this.machine.primaryMaxHeap())).append(" maximum heap, shared by ").append(workers);
			line.append((rawHeapShareMib(workers) < MIN_HEAP_MIB)
					? "; raised to the smallest worker heap: the memory is too small for so many workers)" : ")");
		}
		else {
			line.append("left to the JVM (no memory figure to divide)");
		}
		line.append("; GC ");
		if (this.collector != null) {
			line.append(this.collector.asSetByTheUser());
		}
		else if (this.primaryCollector != null) {
			line.append(this.primaryCollector).append(" (the primary's ").append(this.machine.primaryCollectors());
			line.append(", the JVM's choice for this machine)");
		}
		else {
			line.append("left to the JVM (the primary's ").append(this.machine.primaryCollectors());
			line.append(" is not known here)");
		}
		return line.toString();
	}

	/**
	 * A warning when the heaps the user gave the workers and the primary's add up to more
	 * than the memory.
	 * @param workers the number of workers
	 * @return the warning, or {@code null} when they fit or cannot be told
	 */
	@Nullable String overcommit(int workers) {
		long memory = this.machine.memory();
		long perWorker = userMaxHeap();
		if (this.heap == null || memory <= 0 || perWorker <= 0) {
			return null;
		}
		long total = this.machine.primaryMaxHeap() + perWorker * workers;
		if (total <= memory) {
			return null;
		}
		Decision decision = (this.maxHeap != null) ? this.maxHeap : this.maxRamPercentage;
		return "The cluster's maximum heaps add up to " + mib(total) + " (the primary's "
				+ mib(this.machine.primaryMaxHeap()) + " and " + mib(perWorker) + " for each of " + workers
				+ " workers, from " + decision + "), more than the " + mib(memory) + " of "
				+ this.machine.memorySource() + "; under load the JVMs may take more memory than there is. Give "
				+ "workers a heap of their own in cluster.worker.jvm-args (their share here: -Xmx"
				+ heapShareMib(workers) + "m)";
	}

	/** Each worker's maximum heap in bytes from the user's options, or 0 if not known. */
	private long userMaxHeap() {
		if (this.maxHeap != null) {
			String option = this.maxHeap.option();
			return bytes(option.substring(option.startsWith("-Xmx") ? 4 : "-XX:MaxHeapSize=".length()));
		}
		if (this.maxRamPercentage != null) {
			try {
				double percentage = Double.parseDouble(this.maxRamPercentage.option().substring("-XX:MaxRAMPercentage=".length()));
				return (long) (this.machine.memory() * percentage / 100);
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
		return 0;
	}

	private static long bytes(String size) {
		Matcher matcher = SIZE.matcher(size);
		if (!matcher.matches()) {
			return 0;
		}
		long value = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
			case "k" -> value * 1024;
			case "m" -> value * MIB;
			case "g" -> value * MIB * 1024;
			case "t" -> value * MIB * 1024 * 1024;
			default -> value;
		};
	}

	private String percentage() {
		double value = this.heapPercentage;
		return ((value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value)) + " %";
	}

	private static String mib(long bytes) {
		return (bytes / MIB) + " MiB";
	}

	/**
	 * An option the user set, and where.
	 */
	private record Decision(String option, String source) {

		String asSetByTheUser() {
			return "as set by the user (" + this + ")";
		}

		@Override
		public String toString() {
			return this.option + " in " + this.source;
		}

	}

}
