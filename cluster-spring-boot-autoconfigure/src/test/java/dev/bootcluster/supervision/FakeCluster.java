package dev.bootcluster.supervision;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.socket.SocketBinding;
import dev.bootcluster.socket.SocketSettings;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real {@link ClusterPrimary} on a real shared socket whose workers are
 * {@link FakeWorker} processes, recording every step its listener is told as a line such
 * as {@code "exit 2 crashed"} and every message as {@code "1 {\"n\":0}"}. Closing it stops
 * the primary and checks that no worker process is left.
 */
final class FakeCluster implements AutoCloseable {

	/**
	 * Settings with the given timeouts: at most 64 workers, heartbeats to them every
	 * 500 ms, no recycling, batches of 1, one worker needed ready, workers only reading.
	 */
	static SupervisionSettings settings(int workers, Duration bootTimeout, Duration heartbeatTimeout,
			Duration killTimeout) {
		return new SupervisionSettings(workers, 64, bootTimeout, Duration.ofMillis(500), heartbeatTimeout,
				Duration.ofSeconds(60), killTimeout, 0, 0, 0, 1, 1, false);
	}

	/**
	 * A restart policy of its own for each cluster: a policy keeps each slot's history.
	 */
	static RestartPolicy quickRestarts() {
		return new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 3);
	}

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<String> messages = new CopyOnWriteArrayList<>();

	final ClusterPrimary primary;

	private FakeCluster(SocketMode mode, SupervisionSettings settings, RestartPolicy restarts, WorkerListener also,
			String javaCommand, String... workerJvmArgs) throws Exception {
		PrimaryRuntime runtime = new PrimaryRuntime(javaCommand, List.of("-XX:TieredStopAtLevel=1"),
				System.getProperty("java.class.path"), FakeWorker.class.getName(), List.of(), System.getenv());
		WorkerLauncher launcher = new WorkerLauncher(runtime, List.of(workerJvmArgs), Map.of());
		SocketSettings socketSettings = new SocketSettings(mode, Duration.ofMinutes(1), 100, RelayTransport.AUTO,
				Duration.ofSeconds(2));
		this.primary = new ClusterPrimary(settings, socketSettings, launcher, restarts, new Recorder(also));
		this.primary.start(List.of(new SocketBinding(InetAddress.getLoopbackAddress(), 0, 50)));
	}

	static FakeCluster start(SocketMode mode, SupervisionSettings settings, String... workerJvmArgs)
			throws Exception {
		return start(mode, settings, quickRestarts(), new WorkerListener() {
		}, workerJvmArgs);
	}

	static FakeCluster start(SocketMode mode, SupervisionSettings settings, RestartPolicy restarts,
			WorkerListener also, String... workerJvmArgs) throws Exception {
		return new FakeCluster(mode, settings, restarts, also, ProcessHandle.current().info().command().orElseThrow(),
				workerJvmArgs);
	}

	/**
	 * A cluster whose workers are launched with a Java command that does not exist.
	 */
	static FakeCluster withoutJava(SocketMode mode, SupervisionSettings settings) throws Exception {
		return new FakeCluster(mode, settings, quickRestarts(), new WorkerListener() {
		}, "/nonexistent/bin/java");
	}

	void awaitReady(int count) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.primary.workers().stream().filter((w) -> w.state() == WorkerState.READY).count() == count
					&& this.primary.workers().size() == count);
	}

	SupervisedWorker worker(int id) {
		return this.primary.worker(id).orElseThrow();
	}

	@Override
	public void close() {
		List<SupervisedWorker> workers = this.primary.workers();
		this.primary.stop();
		assertThat(workers).allSatisfy((worker) -> assertThat(ProcessHandle.of(worker.pid())).isEmpty());
	}

	private final class Recorder implements WorkerListener {

		private final WorkerListener also;

		Recorder(WorkerListener also) {
			this.also = also;
		}

		@Override
		public void forked(SupervisedWorker worker) {
			FakeCluster.this.events.add("fork " + worker.id());
			this.also.forked(worker);
		}

		@Override
		public void ready(SupervisedWorker worker) {
			FakeCluster.this.events.add("ready " + worker.id());
			this.also.ready(worker);
		}

		@Override
		public void disconnecting(SupervisedWorker worker) {
			FakeCluster.this.events.add("disconnect " + worker.id());
			this.also.disconnecting(worker);
		}

		@Override
		public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
			FakeCluster.this.events.add("exit " + worker.id() + " " + cause.toValue());
			this.also.exited(worker, exit, cause);
		}

		@Override
		public void message(SupervisedWorker worker, JsonNode payload) {
			this.also.message(worker, payload);
			FakeCluster.this.messages.add(worker.id() + " " + payload);
		}

		@Override
		public void errored(SupervisedWorker lastWorker, int failures) {
			FakeCluster.this.events.add("errored " + lastWorker.id());
			this.also.errored(lastWorker, failures);
		}

	}

}
