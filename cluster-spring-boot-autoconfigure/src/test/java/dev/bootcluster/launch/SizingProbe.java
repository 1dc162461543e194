package dev.bootcluster.launch;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * A worker's stand-in that prints how its JVM is sized: its processors, its
 * {@code MaxHeapSize} and the names of its collectors, one per line.
 */
public final class SizingProbe {

	private SizingProbe() {
	}

	public static void main(String[] args) {
		System.out.println("processors=" + Runtime.getRuntime().availableProcessors());
		System.out.println("MaxHeapSize=" + ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
			.getVMOption("MaxHeapSize")
			.getValue());
		System.out.println("collectors=" + ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.toList());
	}

}
