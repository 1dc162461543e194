package dev.bootcluster.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.bootcluster.ipc.ControlMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.actuate.management.ThreadDumpEndpoint;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.util.ClassUtils;

/**
 * Answers what the primary asks of this worker: its thread dump, in the format of
 * Spring Boot's {@code threaddump} endpoint, and its loggers' levels, read and set
 * through Spring Boot's {@link LoggingSystem}, as {@code /actuator/loggers} would in this
 * worker.
 */
final class PrimaryRequests {

	private static final boolean ACTUATOR_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.actuate.management.ThreadDumpEndpoint", PrimaryRequests.class.getClassLoader());

	private final LoggingSystem loggingSystem;

	PrimaryRequests(LoggingSystem loggingSystem) {
		this.loggingSystem = loggingSystem;
	}

	/**
	 * Does what the primary asks.
	 * @param request the request
	 * @return the reply, with the reason if it failed
	 */
	ControlMessage.WorkerReply answer(ControlMessage.WorkerRequest request) {
		try {
			return new ControlMessage.WorkerReply(request.id(), result(request), null);
		}
		catch (RuntimeException ex) {
			return new ControlMessage.WorkerReply(request.id(), null, ex.toString());
		}
	}

	private JsonNode result(ControlMessage.WorkerRequest request) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		return switch (request.ask()) {
			case THREAD_DUMP -> nodes.stringNode(threadDump());
			case LOGGER_LEVELS -> levels(required(request.logger()));
			case SET_LOGGER_LEVEL -> {
				LogLevel level = (request.level() != null) ? LogLevel.valueOf(request.level().toUpperCase(Locale.ROOT))
						: null;
				this.loggingSystem.setLogLevel(required(request.logger()), level);
				yield levels(required(request.logger()));
			}
		};
	}

	private JsonNode levels(String name) {
		LoggerConfiguration configuration = this.loggingSystem.getLoggerConfiguration(name);
		ObjectNode levels = JsonNodeFactory.instance.objectNode();
		levels.put("configuredLevel", (configuration != null) ? name(configuration.getConfiguredLevel()) : null);
		levels.put("effectiveLevel", (configuration != null) ? name(configuration.getEffectiveLevel()) : null);
		return levels;
	}

	private static @Nullable String name(@Nullable LogLevel level) {
		return (level != null) ? level.name() : null;
	}

	private static String required(@Nullable String logger) {
		if (logger == null) {
			throw new IllegalArgumentException("The request names no logger");
		}
		return logger;
	}

	private static String threadDump() {
		if (ACTUATOR_PRESENT) {
			return ActuatorThreadDump.text();
		}
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
		return Arrays.stream(threads).map(ThreadInfo::toString).collect(Collectors.joining());
	}

	/**
	 * Spring Boot's thread dump, in a class of its own: loaded only with the actuator.
	 */
	private static final class ActuatorThreadDump {

		static String text() {
			return new ThreadDumpEndpoint().textThreadDump();
		}

	}

}
