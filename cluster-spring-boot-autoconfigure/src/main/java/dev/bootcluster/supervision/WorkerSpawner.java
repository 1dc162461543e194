package dev.bootcluster.supervision;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.bootcluster.Cluster;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.WorkerCommand;
import dev.bootcluster.launch.WorkerEnvironment;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.ProcessExit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * Starts the worker of a slot: gives it an id (never reused) and a token for the control
 * channel, builds its command line and spawns its process. A launch that fails, whatever
 * it throws, gives a worker that never ran and has already ended with cause
 * {@link WorkerExitCause#LAUNCH_FAILED}, so that the restart policy deals with it as with
 * any worker that failed at once. Used on the supervisor thread.
 */
final class WorkerSpawner {

	private static final Log logger = LogFactory.getLog(ClusterPrimary.class);

	private final WorkerLauncher launcher;

	private final Spawn spawn;

	private final ControlServer control;

	private final SupervisedWorker.Control workerControl;

	private final WorkerWatchdog watchdog;

	private final PrimaryFailure failure;

	private final LongSupplier ticker;

	private final AtomicInteger lastId = new AtomicInteger();

	private final Supplier<Map<String, String>> environment;

	WorkerSpawner(WorkerLauncher launcher, Spawn spawn, ControlServer control, SupervisedWorker.Control workerControl,
			WorkerWatchdog watchdog, PrimaryFailure failure, LongSupplier ticker,
			Supplier<Map<String, String>> environment) {
		this.environment = environment;
		this.launcher = launcher;
		this.spawn = spawn;
		this.control = control;
		this.workerControl = workerControl;
		this.watchdog = watchdog;
		this.failure = failure;
		this.ticker = ticker;
	}

	/**
	 * Starts a worker.
	 * @param slot the worker's slot
	 * @param slots how many slots the cluster has, to size the worker for its share
	 * @param restarts how many workers the slot had before
	 * @return the worker, running or, if its launch failed, ended
	 */
	SupervisedWorker start(int slot, int slots, int restarts) {
		int id = this.lastId.incrementAndGet();
		String token = ControlServer.newToken();
		long now = this.ticker.getAsLong();
		try {
			Map<String, String> environment = new HashMap<>(this.environment.get());
			environment.putAll(Map.of(Cluster.WORKER_ID_VARIABLE, Integer.toString(id),
					WorkerEnvironment.CONTROL_SOCKET_VARIABLE, this.control.address().toString(),
					WorkerEnvironment.CONTROL_TOKEN_VARIABLE, token));
			WorkerCommand command = this.launcher.command(id, slots, environment);
			this.control.expect(id, token);
			ChildProcess process = this.spawn.spawn(command.command(), command.environment());
			process.onExit().whenComplete((exit, failure) -> this.control.forget(id)); // never connected, or gone
			return new SupervisedWorker(this.workerControl, id, slot, restarts, process, now, this.watchdog.requestLimit());
		}
		catch (Throwable ex) {
			this.control.forget(id);
			this.failure.recordIfFatal("the launch of worker " + id, ex);
			logger.error(LogMessage.format("Failed to launch worker %d in slot %d", id, slot), ex);
			SupervisedWorker worker = new SupervisedWorker(this.workerControl, id, slot, restarts, new UnstartedProcess(),
					now, 0);
			worker.ending(WorkerExitCause.LAUNCH_FAILED, false);
			return worker;
		}
	}

	/**
	 * Spawns a worker's process: the shared socket's way in production.
	 */
	@FunctionalInterface
	interface Spawn {

		ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException;

	}

	/**
	 * The process of a worker whose launch failed: there is none.
	 */
	private static final class UnstartedProcess implements ChildProcess {

		@Override
		public long pid() {
			return -1;
		}

		@Override
		public CompletableFuture<ProcessExit> onExit() {
			return CompletableFuture.completedFuture(ProcessExit.NOT_STARTED);
		}

		@Override
		public boolean signal(String signal) {
			return false;
		}

	}

}
