package dev.bootcluster.launch;

import java.util.List;
import java.util.Map;

/**
 * A worker's command line and environment.
 *
 * @param command the java executable followed by every argument
 * @param environment the complete environment of the worker process
 */
public record WorkerCommand(List<String> command, Map<String, String> environment) {

	public WorkerCommand {
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

}
