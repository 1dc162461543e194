package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the kubelet sees of a pod running the sample as the README's "On Kubernetes"
 * Deployment does: its probes on the primary's management port, and how long a
 * {@code SIGTERM} to the primary takes to end the whole cluster with the Deployment's
 * drain settings.
 */
class KubernetesProbesIT {

	/**
	 * The Deployment's {@code spring.lifecycle.timeout-per-shutdown-phase}.
	 */
	private static final String SHUTDOWN_PHASE_TIMEOUT = "20s";

	/**
	 * The Deployment's {@code cluster.worker.kill-timeout}.
	 */
	private static final String KILL_TIMEOUT = "15s";

	/**
	 * The Deployment's {@code terminationGracePeriodSeconds}, less its {@code preStop}
	 * pause: what is left of the grace period when the primary gets {@code SIGTERM}.
	 */
	private static final Duration GRACE_AFTER_PRE_STOP = Duration.ofSeconds(45 - 5);

	private static final String LIVENESS = "/actuator/health/liveness";

	private static final String READINESS = "/actuator/health/readiness";

	@Test
	void readinessIsDownUntilMinReadyWorkersAreReadyWhileLivenessStaysUp() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--management.server.port=0",
				"--cluster.workers=2", "--cluster.min-ready=2")) {
			cluster.managementPort();
			assertThat(status(cluster, READINESS)).as("no worker READY yet").isEqualTo(503);
			assertThat(status(cluster, LIVENESS)).isEqualTo(200);
			JsonNode workers = cluster.awaitReady(2).get("workers");
			await().atMost(Duration.ofSeconds(10)).until(() -> status(cluster, READINESS) == 200);

			List<Integer> liveness = new CopyOnWriteArrayList<>();
			ProcessHandle.of(workers.get(0).get("pid").asLong()).orElseThrow().destroyForcibly(); // SIGKILL
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				liveness.add(status(cluster, LIVENESS));
				return status(cluster, READINESS) == 503;
			});
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
				liveness.add(status(cluster, LIVENESS));
				return status(cluster, READINESS) == 200;
			});
			assertThat(cluster.cluster().get("workers")).as("refilled").hasSize(2);
			assertThat(liveness).as("liveness does not follow the workers").isNotEmpty().containsOnly(200);
		}
	}

	@Test
	void sigtermMakesReadinessDownAtOnceAndEndsTheClusterWithinTheGracePeriod() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--management.server.port=0",
				"--cluster.workers=2", "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_PHASE_TIMEOUT,
				"--cluster.worker.kill-timeout=" + KILL_TIMEOUT)) {
			cluster.managementPort();
			cluster.awaitReady(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> status(cluster, READINESS) == 200);
			Collection<Long> workers = cluster.workerPids();
			assertThat(workers).hasSize(2);
			// a request longer than the drain may last, so that the drain lasts as long as it may
			CompletableFuture<String> slow = cluster.slowRequestInFlight(Duration.ofSeconds(30));

			long start = System.nanoTime();
			cluster.primary().destroy(); // SIGTERM, as the kubelet sends it after preStop
			// the management port answers through the drain: readiness 503, liveness 200
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> status(cluster, READINESS) == 503);
			assertThat(status(cluster, LIVENESS)).isEqualTo(200);
			assertThat(workers).as("still draining").anyMatch(Processes::isAlive);
			assertThat(status(cluster, READINESS)).isEqualTo(503);

			await().atMost(GRACE_AFTER_PRE_STOP)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> !cluster.primary().isAlive() && workers.stream().noneMatch(Processes::isAlive));
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).isLessThan(GRACE_AFTER_PRE_STOP);
			assertThat(slow.get(10, TimeUnit.SECONDS)).as("longer than the kill timeout").startsWith("cut");
			assertThat(cluster.output()).containsPattern("Worker \\d+ left: .*cause=kill-timeout");
		}
	}

	private static int status(SampleCluster cluster, String path) throws IOException, InterruptedException {
		return cluster.actuator("GET", path, null).statusCode();
	}

}
