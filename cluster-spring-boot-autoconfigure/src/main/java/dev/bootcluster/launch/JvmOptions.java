package dev.bootcluster.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The rules that turn the primary's JVM options into a worker's.
 */
final class JvmOptions {

	private static final Log logger = LogFactory.getLog(JvmOptions.class);

	/** Variables the java launcher reads by itself: their options must not be passed twice. */
	private static final List<String> LAUNCHER_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

	/** A file name in an option, with its extension apart, unless it already names the pid. */
	private static final Pattern FILE_VALUE = Pattern
		.compile("((?:-XX:HeapDumpPath=|-Xloggc:|file=|filename=)[^,:%]*?)(\\.[A-Za-z0-9]+)?(?=$|[,:])");

	private JvmOptions() {
	}

	/**
	 * The primary's options that every worker gets: without those the launcher reads from
	 * the environment again, a debug agent that listens on a port, or a JMX port.
	 */
	static List<String> forWorkers(List<String> inputArguments, Map<String, String> environment) {
		List<String> options = new ArrayList<>(inputArguments);
		for (String variable : LAUNCHER_VARIABLES) {
			String value = environment.get(variable);
			if (value != null) {
				for (String option : value.trim().split("\\s+")) {
					options.remove(option);
				}
			}
		}
		options.removeIf((option) -> {
			boolean collides = isListeningDebugAgent(option) || option.startsWith("-Dcom.sun.management.jmxremote.port=")
					|| option.startsWith("-Dcom.sun.management.jmxremote.rmi.port=");
			if (collides) {
				logger.info("Not passing '" + option + "' to workers: its port would collide");
			}
			return collides;
		});
		return options;
	}

	private static boolean isListeningDebugAgent(String option) {
		return (option.startsWith("-agentlib:jdwp=") || option.startsWith("-Xrunjdwp:"))
				&& option.contains("server=y");
	}

	/**
	 * The options with each file that a JVM writes by itself (heap dump, GC log, flight
	 * recording) named for the worker, unless the name already holds the pid ({@code %p}).
	 */
	static List<String> perWorker(List<String> options, int workerId) {
		List<String> result = new ArrayList<>(options.size());
		for (String option : options) {
			result.add(writesFile(option) && !option.contains("%p") ? nameForWorker(option, workerId) : option);
		}
		return result;
	}

	private static boolean writesFile(String option) {
		return option.startsWith("-XX:HeapDumpPath=") || option.startsWith("-Xloggc:")
				|| (option.startsWith("-Xlog:") && option.contains("file="))
				|| (option.startsWith("-XX:StartFlightRecording") && option.contains("filename="));
	}

	private static String nameForWorker(String option, int workerId) {
		if (option.startsWith("-XX:HeapDumpPath=") && !option.endsWith(".hprof")) {
			return option; // a directory: the JVM names each dump after its pid
		}
		Matcher matcher = FILE_VALUE.matcher(option);
		if (!matcher.find()) {
			return option;
		}
		String extension = (matcher.group(2) != null) ? matcher.group(2) : "";
		return option.substring(0, matcher.start()) + matcher.group(1) + "-worker-" + workerId + extension
				+ option.substring(matcher.end());
	}

}
