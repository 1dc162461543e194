package dev.bootcluster.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The facts of the running primary JVM from which a worker's command line is rebuilt.
 *
 * @param java the path of the java executable
 * @param inputArguments the JVM options (as {@code RuntimeMXBean#getInputArguments})
 * @param classPath the class path ({@code java.class.path})
 * @param command the main class or jar and arguments ({@code sun.java.command})
 * @param programArguments the exact program arguments
 * @param environment the process environment
 */
public record PrimaryRuntime(String java, List<String> inputArguments, String classPath, @Nullable String command,
		List<String> programArguments, Map<String, String> environment) {

	/**
	 * The facts of this JVM.
	 * @param programArguments the exact program arguments, as passed to {@code main}
	 * @return this JVM's runtime facts
	 */
	public static PrimaryRuntime current(List<String> programArguments) {
		String java = ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
		return new PrimaryRuntime(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
				System.getProperty("java.class.path"), System.getProperty("sun.java.command"), programArguments,
				System.getenv());
	}

}
