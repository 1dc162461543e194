package dev.bootcluster.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.Worker;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerLoad;
import dev.bootcluster.WorkerState;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.jspecify.annotations.Nullable;

/**
 * The supervisor's handle on one worker process: the public {@link Worker} view, and what
 * the supervisor alone reads and changes (its slot, process, deadlines, how it ended),
 * with the means to disconnect or kill it.
 */
final class SupervisedWorker implements Worker {

	private final Control control;

	private final int id;

	private final int slot;

	private final int restarts;

	private final ChildProcess process;

	private final Instant startedAt;

	private final long startedNanos;

	private volatile long readyNanos;

	private volatile WorkerState state = WorkerState.FORKED;

	private volatile WorkerLoad load = WorkerLoad.NONE;

	private volatile String address = "";

	private volatile List<String> socketPaths = List.of();

	private volatile List<Integer> ports = List.of(0);

	private volatile boolean exitedAfterDisconnect;

	private volatile @Nullable WorkerExitCause endedBy;

	private volatile boolean leftOnItsOwn;

	private volatile long lastSeenNanos;

	private final long requestLimit;

	private int heapOverLimit;

	private volatile @Nullable ProcessExit exit;

	SupervisedWorker(Control control, int id, int slot, int restarts, ChildProcess process, long startedNanos,
			long requestLimit) {
		this.control = control;
		this.requestLimit = requestLimit;
		this.id = id;
		this.slot = slot;
		this.restarts = restarts;
		this.process = process;
		this.startedAt = Instant.now();
		this.startedNanos = startedNanos;
		this.lastSeenNanos = startedNanos;
	}

	/**
	 * The worker's id: 1 for the first worker of the primary, never reused.
	 * @return the id
	 */
	@Override
	public int id() {
		return this.id;
	}

	/**
	 * The worker's process id.
	 * @return the pid
	 */
	@Override
	public long pid() {
		return this.process.pid();
	}

	/**
	 * The worker's current state.
	 * @return the state
	 */
	@Override
	public WorkerState state() {
		return this.state;
	}

	/**
	 * When the worker's process was started.
	 * @return the start time
	 */
	@Override
	public Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * How many times the primary had to respawn this worker's slot before starting it.
	 * @return the slot's restart count
	 */
	@Override
	public int restarts() {
		return this.restarts;
	}

	/**
	 * The load figures from the worker's last heartbeat.
	 * @return the last reported load
	 */
	@Override
	public WorkerLoad load() {
		return this.load;
	}

	/**
	 * Whether the worker ended because the primary disconnected or killed it, as Node's
	 * {@code worker.exitedAfterDisconnect}: {@code false} for a crash.
	 * @return {@code true} if the exit was asked for
	 */
	@Override
	public boolean exitedAfterDisconnect() {
		return this.exitedAfterDisconnect;
	}

	/**
	 * How the worker's process ended.
	 * @return the exit, or {@code null} while it runs
	 */
	@Nullable ProcessExit exit() {
		return this.exit;
	}

	/**
	 * Asks the worker to drain and exit: it accepts no new connection, finishes the
	 * requests it has, then exits. It is killed if it takes longer than
	 * {@code cluster.worker.kill-timeout}. Its slot is refilled at once, without counting
	 * a failure; to run fewer workers, scale the cluster.
	 */
	void disconnect() {
		this.control.disconnect(this);
	}

	/**
	 * Kills the worker with {@code SIGTERM}; its slot is refilled at once, without
	 * counting a failure.
	 */
	void kill() {
		kill("TERM");
	}

	/**
	 * Sends the worker a signal and treats its end as asked for: its slot is refilled at
	 * once, without counting a failure.
	 * @param signal the signal's name or number, such as {@code KILL}
	 * @throws IllegalArgumentException if the signal is unknown
	 */
	void kill(String signal) {
		ProcessExit.ofSignal(signal); // an unknown signal fails here, not on the supervisor thread
		this.control.kill(this, signal);
	}

	int slot() {
		return this.slot;
	}

	ChildProcess process() {
		return this.process;
	}

	/**
	 * Why the primary ended the worker, if it did.
	 */
	@Nullable WorkerExitCause endedBy() {
		return this.endedBy;
	}

	/**
	 * Whether the worker said it was leaving before the primary asked it to (its context
	 * closed: a {@code SIGTERM} to it, or the application's own doing).
	 */
	boolean leftOnItsOwn() {
		return this.leftOnItsOwn;
	}

	void leavingOnItsOwn() {
		this.leftOnItsOwn = true;
	}

	/**
	 * Records why the primary is ending the worker. A later reason (a drain that times out)
	 * replaces an earlier one.
	 */
	void ending(WorkerExitCause cause, boolean afterDisconnect) {
		this.endedBy = cause;
		this.exitedAfterDisconnect = afterDisconnect;
	}

	/**
	 * When the process was started, on the monotonic clock ({@link System#nanoTime}).
	 */
	long startedNanos() {
		return this.startedNanos;
	}

	void seen(long nanos) {
		this.lastSeenNanos = nanos;
	}

	/**
	 * Takes a time the primary itself did not run off the worker's silence.
	 */
	void excuse(Duration pause, long nowNanos) {
		this.lastSeenNanos = Math.min(this.lastSeenNanos + pause.toNanos(), nowNanos);
	}

	Duration silence(long nowNanos) {
		return Duration.ofNanos(nowNanos - this.lastSeenNanos);
	}

	/**
	 * Whether the worker was ever READY.
	 */
	boolean wasReady() {
		return this.readyNanos != 0;
	}

	/**
	 * How long the worker has been READY, zero if it never was.
	 */
	Duration readyFor(long nowNanos) {
		long readyNanos = this.readyNanos;
		return (readyNanos != 0) ? Duration.ofNanos(nowNanos - readyNanos) : Duration.ZERO;
	}

	/**
	 * The requests after which the worker is recycled, or 0 for never.
	 */
	long requestLimit() {
		return this.requestLimit;
	}

	/**
	 * Counts heartbeats in a row whose heap after collection was over the limit.
	 * @return the count so far, 0 once a heartbeat is under the limit
	 */
	int heapOverLimit(boolean over) {
		this.heapOverLimit = over ? this.heapOverLimit + 1 : 0;
		return this.heapOverLimit;
	}

	void state(WorkerState state) {
		this.state = state;
	}

	void ready(long nanos) {
		this.readyNanos = (nanos != 0) ? nanos : 1; // 0 means never ready
		this.state = WorkerState.READY;
	}

	/**
	 * The address the worker's web server listens on, once it has said so.
	 */
	String address() {
		return this.address;
	}

	/**
	 * The ports the worker's web server listens on, once it has said so: its main
	 * connector's, then those of its additional connectors.
	 */
	List<Integer> ports() {
		return this.ports;
	}

	/**
	 * The paths of the Unix domain sockets the worker's web server listens on instead of
	 * ports (relay mode), in the order of {@link #ports()}; empty on TCP.
	 */
	List<String> socketPaths() {
		return this.socketPaths;
	}

	void listening(String address, int port, List<Integer> additionalPorts, List<String> socketPaths) {
		this.address = address;
		this.socketPaths = List.copyOf(socketPaths);
		List<Integer> ports = new ArrayList<>();
		ports.add(port);
		ports.addAll(additionalPorts);
		this.ports = List.copyOf(ports);
	}

	void load(WorkerLoad load) {
		this.load = load;
	}

	void exited(ProcessExit exit) {
		this.exit = exit;
		this.state = WorkerState.DEAD;
	}

	/**
	 * What a worker's handle asks of its primary.
	 */
	interface Control {

		void disconnect(SupervisedWorker worker);

		void kill(SupervisedWorker worker, String signal);

	}

	@Override
	public String toString() {
		return "worker " + this.id + " (pid " + pid() + ", " + this.state + ")";
	}

}
