package dev.bootcluster.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's warm-up ({@code cluster.worker.warmup.*}): a respawned worker requests the
 * sample's paths through a loopback connector of its own before it takes any connection,
 * so that no client reaches it before its warm-up is over (the other worker serves them
 * meanwhile), and it reports READY warm.
 */
class WorkerWarmupIT {

	/** Worker 3's warm-up, as its log line says, with the line's time. */
	private static final Pattern WARMED_UP = Pattern.compile("(?m)^(\\S+)\\s+INFO \\[worker-3\\].*Warmed up in");

	@Test
	void aRespawnedWorkerWarmsUpBeforeAnyClientReachesIt() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.warmup.paths=/whoami,/greeting", "--cluster.worker.warmup.duration=4s")) {
			cluster.awaitReady(2);
			assertThat(cluster.output()).containsPattern("\\[worker-1\\].*Warmed up in \\d+\\.\\d s: \\d+ request\\(s\\) "
					+ "to \\[/whoami, /greeting\\]");
			Processes.signal(cluster.workerPid(1), "KILL");
			long successor = cluster.workerPid(3);
			Pattern ready = Pattern.compile("Worker 3 \\(pid " + successor + "\\) is ready");
			List<Instant> servedByOthers = new ArrayList<>();
			Instant servedBySuccessor = await().atMost(Duration.ofSeconds(60)).until(() -> {
				String pid = SampleCluster.parse(cluster.getOnNewConnection("/whoami")).get("pid").asString();
				if (pid.equals(Long.toString(successor))) {
					return Instant.now();
				}
				servedByOthers.add(Instant.now());
				return null;
			}, Objects::nonNull);
			Matcher warmedUp = cluster.awaitOutput(WARMED_UP, Duration.ofSeconds(10));
			Instant warmedAt = Instant.parse(warmedUp.group(1));
			assertThat(servedBySuccessor).as("its first client served after its warm-up").isAfter(warmedAt);
			assertThat(servedByOthers.stream().filter((served) -> served.isBefore(warmedAt)))
				.as("clients served by worker 2 meanwhile")
				.hasSizeGreaterThan(10);
			cluster.awaitOutput(ready, Duration.ofSeconds(60));
			List<String> lines = cluster.output().lines().toList();
			assertThat(indexOf(lines, (line) -> WARMED_UP.matcher(line).find())).as("warmed up before it was READY")
				.isNotNegative()
				.isLessThan(indexOf(lines, (line) -> ready.matcher(line).find()));
		}
	}

	private static int indexOf(List<String> lines, Predicate<String> test) {
		for (int i = 0; i < lines.size(); i++) {
			if (test.test(lines.get(i))) {
				return i;
			}
		}
		return -1;
	}

}
