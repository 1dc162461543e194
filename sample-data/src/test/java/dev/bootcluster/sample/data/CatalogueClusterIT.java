package dev.bootcluster.sample.data;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterRun;
import dev.bootcluster.test.Processes;
import dev.bootcluster.test.RawResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalogue run clustered with two workers, as a user sees it: its page, its API, data
 * written through one worker read through another, the primary migrating the database
 * once before it forks, and a worker killed under load replaced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueClusterIT {

	private static final Path JAR = Path.of("target", "sample-data.jar").toAbsolutePath();

	private static final Path RUNS = Path.of("target", "cluster-it").toAbsolutePath();

	private static ClusterRun cluster;

	private static String databaseUrl;

	@BeforeAll
	static void start() throws IOException {
		String run = ProcessHandle.current().pid() + "-" + System.nanoTime();
		Path dataDir = RUNS.resolve("data-" + run);
		List<String> command = new ArrayList<>(List.of(ClusterRun.java(), "-jar", JAR.toString(), "--server.port=0",
				"--cluster.workers=2", "--sample.data-dir=" + dataDir));
		String profile = System.getProperty("catalogue.it.profile", "");
		if (!profile.isEmpty()) {
			command.add("--spring.profiles.active=" + profile);
		}
		// the database the cluster shares; an H2 file is served to this JVM too (AUTO_SERVER)
		databaseUrl = System.getProperty("catalogue.it.database-url",
				"jdbc:h2:file:" + dataDir.resolve("catalogue") + ";AUTO_SERVER=TRUE");
		cluster = ClusterRun.start(command, RUNS, RUNS.resolve("cluster-" + run + ".log"));
		cluster.port();
		cluster.awaitWorkerStarted(1, "CatalogueApplication");
		cluster.awaitWorkerStarted(2, "CatalogueApplication");
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void thePrimaryMigratedTheDatabaseOnceBeforeForkingAndWorkersDidNot() throws SQLException {
		String output = cluster.output();
		assertThat(cluster.timesLogged("Successfully applied 2 migrations")).isOne();
		assertThat(output.indexOf("Successfully applied 2 migrations")).isPositive()
			.isLessThan(output.indexOf("Forked worker 1"));
		assertThat(output.lines().filter((line) -> line.contains("[worker-"))).noneMatch(
				(line) -> line.contains("org.flywaydb") || line.contains("DbMigrate") || line.contains("DbValidate"));
		assertThat(output).contains("Released the primary's");
		try (Connection connection = DriverManager.getConnection(databaseUrl,
				System.getProperty("catalogue.it.database-user"), System.getProperty("catalogue.it.database-password"));
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"select count(*), count(distinct \"version\") from \"flyway_schema_history\" where \"success\" and \"version\" is not null")) {
			rows.next();
			assertThat(rows.getInt(1)).as("history rows").isEqualTo(2);
			assertThat(rows.getInt(2)).as("distinct versions").isEqualTo(2);
		}
		reportMemory("after startup");
	}

	@Test
	@Order(2)
	void thePageRendersTheCatalogue() throws IOException {
		RawResponse page = cluster.get("/");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.worker()).isIn("1", "2");
		assertThat(page.body()).contains("<h1>Catalogue</h1>", "Kettle", "Teapot", "<form");
	}

	@Test
	@Order(3)
	void anItemCreatedThroughOneWorkerIsReadThroughAnother() throws IOException {
		String name = "Whisk " + UUID.randomUUID();
		RawResponse created = cluster.send("POST", "/api/items", "application/json",
				"{\"name\":\"" + name + "\",\"description\":\"Balloon, steel\"}");
		assertThat(created.status()).isEqualTo(201);
		String writer = created.worker();
		Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(created.body());
		assertThat(id.find()).isTrue();
		assertThat(created.body()).contains("\"createdBy\":" + writer);
		Set<String> readers = ConcurrentHashMap.newKeySet();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			RawResponse item = cluster.get("/api/items/" + id.group(1));
			assertThat(item.status()).isEqualTo(200);
			assertThat(item.body()).contains(name);
			readers.add(item.worker());
			RawResponse page = cluster.get("/");
			assertThat(page.body()).contains(name);
			readers.add(page.worker());
			assertThat(readers).as("workers that read it").contains("1", "2");
		});
	}

	@Test
	@Order(4)
	void invalidItemsAreRefusedWithTheirReasons() throws IOException {
		assertThat(cluster.send("POST", "/api/items", "application/json", "{\"name\":\" \"}").status())
			.isEqualTo(400);
		RawResponse form = cluster.send("POST", "/items", "application/x-www-form-urlencoded", "name=&description=x");
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains("class=\"error\"");
		RawResponse added = cluster.send("POST", "/items", "application/x-www-form-urlencoded", "name=Sieve");
		assertThat(added.status()).isEqualTo(302);
	}

	@Test
	@Order(5)
	void aWorkerKilledUnderLoadIsReplacedAndOnlyItsRequestsInFlightFail() throws Exception {
		int threads = 4;
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger served = new AtomicInteger();
		List<String> failures = new ArrayList<>();
		List<Thread> load = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			String path = (i % 2 == 0) ? "/" : "/api/items/1";
			Thread thread = new Thread(() -> {
				while (running.get()) {
					try {
						RawResponse response = cluster.get(path);
						if (response.status() != 200) {
							throw new IOException("status " + response.status());
						}
						served.incrementAndGet();
					}
					catch (IOException | RuntimeException ex) {
						synchronized (failures) {
							failures.add(path + ": " + ex);
						}
					}
				}
			}, "load-" + i);
			thread.start();
			load.add(thread);
		}
		await().until(() -> served.get() > 200);
		long victim = cluster.workerPid(1);
		ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL
		await().atMost(Duration.ofSeconds(60)).until(() -> cluster.output().contains("Forked worker 3"));
		cluster.awaitWorkerStarted(3, "CatalogueApplication");
		int failedBeforeReplacement = failures.size();
		int servedBefore = served.get();
		await().until(() -> served.get() > servedBefore + 200);
		running.set(false);
		for (Thread thread : load) {
			thread.join();
		}
		System.out.printf("Killed worker 1 (pid %d) under load: %d requests served, %d failed: %s%n", victim,
				served.get(), failures.size(), failures);
		// Only the requests in flight on the killed worker fail, one per load thread at most:
		// the database stays served by the primary, and the listen queue is the primary's.
		assertThat(failures).as("requests that failed").hasSizeLessThanOrEqualTo(threads);
		assertThat(failures).as("requests that failed after the replacement started")
			.hasSize(failedBeforeReplacement);
		assertThat(served.get()).isGreaterThan(servedBefore);
		assertThat(Processes.isAlive(victim)).isFalse();
		assertThat(cluster.primary().isAlive()).isTrue();
		reportMemory("after load");
	}

	// printed, not asserted: the figures depend on the machine and the JVM's heap sizing
	private static void reportMemory(String when) {
		long primary = Processes.rssKiB(cluster.primary().pid());
		long worker = cluster.primary()
			.children()
			.mapToLong((child) -> Processes.rssKiB(child.pid()))
			.max()
			.orElse(-1);
		System.out.printf("RSS %s: primary %d MiB, largest worker %d MiB (primary/worker %.2f)%n", when,
				primary / 1024, worker / 1024, (double) primary / worker);
	}

}
