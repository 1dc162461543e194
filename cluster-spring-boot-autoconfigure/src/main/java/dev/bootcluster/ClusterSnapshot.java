package dev.bootcluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;

/**
 * What a primary knows of its cluster at one moment: the body of {@code /actuator/cluster},
 * also what a worker gets when it asks the primary over the control channel.
 *
 * @param mode how workers share the socket
 * @param port the shared port
 * @param additionalPorts the shared ports of the additional connectors
 * @param primary the primary process
 * @param workers the live workers, by id, then the last worker of each crash-looped slot
 * (state {@code ERRORED})
 * @param exits the most recent worker exits, oldest first
 * @param unreachable why no new connection reaches a worker now, though some are ready
 * (relay mode: each failed its last connects), or {@code null}
 */
public record ClusterSnapshot(String mode, int port, List<Integer> additionalPorts, PrimaryProcess primary,
		List<WorkerSummary> workers, List<WorkerExit> exits, @Nullable String unreachable) {

	/**
	 * How many workers are in a state.
	 * @param state the state
	 * @return the number of workers (or of slots, for {@link WorkerState#ERRORED})
	 */
	public long count(WorkerState state) {
		return this.workers.stream().filter((worker) -> worker.state() == state).count();
	}

	/**
	 * Whether the cluster can serve: at least {@code minReady} workers are READY, no
	 * slot is ERRORED, the primary's machinery has not failed and connections reach the
	 * workers.
	 * @param minReady the ready workers needed
	 * @return whether it can
	 */
	public boolean isAvailable(int minReady) {
		return count(WorkerState.READY) >= minReady && count(WorkerState.ERRORED) == 0
				&& this.primary.failure() == null && this.unreachable == null;
	}

	/**
	 * The primary process.
	 *
	 * @param pid its pid
	 * @param uptime how long it has run
	 * @param failure the error its own machinery met and may not recover from (where and
	 * what), or {@code null}: with one, the cluster is unavailable
	 */
	public record PrimaryProcess(long pid, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration uptime,
			@Nullable String failure) {

		/**
		 * A primary whose machinery has not failed.
		 * @param pid its pid
		 * @param uptime how long it has run
		 */
		public PrimaryProcess(long pid, Duration uptime) {
			this(pid, uptime, null);
		}

	}

	/**
	 * One live worker.
	 *
	 * @param id its id
	 * @param pid its pid
	 * @param state its state
	 * @param startedAt when its process started
	 * @param requests requests it has served (as of its last heartbeat)
	 * @param activeRequests requests it was serving at its last heartbeat
	 * @param heapUsed heap it used at its last heartbeat, in bytes
	 * @param restarts how many times its slot was respawned before it
	 */
	public record WorkerSummary(int id, long pid, WorkerState state,
			@JsonFormat(shape = JsonFormat.Shape.STRING) Instant startedAt, long requests, int activeRequests,
			long heapUsed, int restarts) {

	}

	/**
	 * One worker's exit.
	 *
	 * @param id the worker's id
	 * @param pid the worker's pid
	 * @param code its exit code, or {@code null} if a signal ended it
	 * @param signal the signal that ended it, such as {@code SIGKILL}, or {@code null}
	 * @param exitedAfterDisconnect whether the primary asked for the exit
	 * @param cause why it ended
	 * @param at when the primary saw it end
	 */
	public record WorkerExit(int id, long pid, @Nullable Integer code, @Nullable String signal,
			boolean exitedAfterDisconnect, WorkerExitCause cause, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant at) {
	}

}
