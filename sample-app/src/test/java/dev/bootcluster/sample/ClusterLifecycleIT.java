package dev.bootcluster.sample;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a cluster ends: by signals to its primary, or at start when its port is taken.
 */
class ClusterLifecycleIT {

	@Test
	void sigtermToThePrimaryDrainsAndEndsEveryWorker() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2")) {
			cluster.awaitReady(2);
			Collection<Long> workers = cluster.workerPids();
			assertThat(workers).hasSize(2);
			cluster.primary().destroy();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> !cluster.primary().isAlive() && workers.stream().noneMatch(Processes::isAlive));
			String output = cluster.output();
			assertThat(output).contains("Disconnect requested by the primary: draining");
			assertThat(output).containsPattern("Worker \\d+ left: .*code 0, cause=disconnected");
			assertThat(output).doesNotContain("crashed");
		}
	}

	@Test
	void aShutdownWaitsForDrainsNoLongerThanTheTimeoutPerShutdownPhase() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--spring.lifecycle.timeout-per-shutdown-phase=3s")) {
			cluster.awaitReady(2);
			Collection<Long> workers = cluster.workerPids();
			CompletableFuture<String> slow = cluster.slowRequestInFlight(Duration.ofSeconds(30)); // in flight
			long start = System.nanoTime();
			cluster.primary().destroy();
			assertThat(cluster.primary().waitFor(40, TimeUnit.SECONDS)).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not waiting for the 30 s request")
				.isLessThan(Duration.ofSeconds(20));
			await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(Processes::isAlive));
			assertThat(slow.get(10, TimeUnit.SECONDS)).startsWith("cut");
		}
	}

	@Test
	void sigkillOfThePrimaryEndsEveryWorkerWithinTwoSeconds() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2")) {
			cluster.awaitReady(2);
			Collection<Long> workers = cluster.workerPids();
			assertThat(workers).hasSize(2);
			cluster.primary().destroyForcibly();
			cluster.primary().waitFor();
			await().atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> workers.stream().noneMatch(Processes::isAlive));
			assertThat(cluster.output()).contains("The primary is gone");
		}
	}

	/**
	 * A worker spawned natively in inherit mode (Java 22+) leads a process group of its
	 * own: when its primary dies the group is orphaned, and the kernel sends a stopped
	 * member {@code SIGHUP} then {@code SIGCONT}; the worker resumes, reads the end of its
	 * control channel and exits. A worker the JDK started (relay mode, and inherit mode on
	 * Java 17 to 21) stays in the primary's process group (that of this test's JVM), which
	 * is not orphaned: a stopped worker stays stopped, reparented to init, until it is
	 * continued; then it sees its primary gone and exits.
	 */
	@Test
	void sigkillOfThePrimaryEndsAStoppedWorkerOfItsOwnGroupAndLeavesOneOfThePrimarysStopped() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2")) {
			JsonNode workers = cluster.awaitReady(2).get("workers");
			long running = workers.get(0).get("pid").asLong();
			long stopped = workers.get(1).get("pid").asLong();
			boolean ownGroup = Processes.leadsItsOwnProcessGroup(stopped);
			boolean startedByTheJdk = SampleCluster.MODE.equals("relay")
					|| cluster.output().contains("handed over by the JDK");
			assertThat(ownGroup).as("a process group of its own").isEqualTo(!startedByTheJdk);
			try {
				Processes.signal(stopped, "STOP");
				await().atMost(Duration.ofSeconds(5)).until(() -> Processes.isStopped(stopped));
				cluster.primary().destroyForcibly();
				cluster.primary().waitFor();
				await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
					.until(() -> !Processes.isAlive(running));
				if (ownGroup) { // orphaned with a stopped member, the group is continued by the kernel
					await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
						.until(() -> !Processes.isAlive(stopped));
				}
				else {
					await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
						.until(() -> Processes.isStopped(stopped));
					Processes.signal(stopped, "CONT");
					await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
						.until(() -> !Processes.isAlive(stopped));
				}
				assertThat(cluster.output()).contains("The primary is gone");
			}
			finally {
				ProcessHandle.of(stopped).ifPresent(ProcessHandle::destroyForcibly); // even a stopped one
			}
		}
	}

	@Test
	void aPortInUseFailsThePrimaryBeforeAnyWorkerIsForked() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			int port = taken.getLocalPort();
			try (SampleCluster cluster = SampleCluster.start("--server.port=" + port, "--cluster.workers=2",
					"--server.address=127.0.0.1")) {
				assertThat(cluster.primary().waitFor()).isNotZero();
				String output = cluster.output();
				assertThat(output).contains("Port " + port + " was already in use");
				assertThat(output).doesNotContain("Forked worker");
				assertThat(cluster.workerPids()).isEmpty();
			}
		}
	}

	@Test
	void aClassPathLaunchRelaunchesWorkersWithTheMainClassAndExactArguments() throws Exception {
		ExplodedJar exploded = ExplodedJar.of(SampleCluster.JAR);
		int jmxPort;
		try (ServerSocket probe = new ServerSocket(0)) {
			jmxPort = probe.getLocalPort();
		}
		// from the class path the JVM reads no manifest: Java 17 to 21 need sun.nio.ch opened here
		try (SampleCluster cluster = SampleCluster.start(exploded.command(ClusterRun.java(),
				"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
				"-Dcom.sun.management.jmxremote.ssl=false", "--", "--server.port=0", "--cluster.workers=2",
				"--sample.greeting=hello  cluster world"), exploded.directory())) {
			cluster.awaitReady(2);
			assertThat(SampleCluster.parse(cluster.getOnNewConnection("/greeting")).get("greeting").asString())
				.isEqualTo("hello  cluster world");
			assertThat(cluster.output()).contains("Not passing '-Dcom.sun.management.jmxremote.port=" + jmxPort);
		}
	}

}
