package dev.bootcluster.primary;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a worker's process ended.
 */
public enum WorkerExitCause {

	/**
	 * It exited, or was killed by a signal, without the primary asking.
	 */
	CRASHED,

	/**
	 * The primary killed it ({@link Worker#kill(String)}, or a drain that outlasted
	 * {@code cluster.worker.kill-timeout}).
	 */
	KILLED,

	/**
	 * It exited after a graceful disconnect.
	 */
	DISCONNECTED;

	/**
	 * The cause as shown in JSON and metrics: {@code crashed}, {@code killed} or
	 * {@code disconnected}.
	 * @return the lower-case name
	 */
	@JsonValue
	public String toValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
