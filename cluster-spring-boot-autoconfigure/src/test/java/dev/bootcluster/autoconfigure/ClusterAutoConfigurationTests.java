package dev.bootcluster.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterRole;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.event.PrimaryMessageEvent;
import dev.bootcluster.ipc.ControlConnection;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.supervision.ClusterPrimary;
import dev.bootcluster.worker.ClusterWorker;
import dev.bootcluster.worker.SharedSocketDrain;
import dev.bootcluster.worker.WorkerExit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ClusterAutoConfigurationTests {

	private static final List<String> DURATIONS = List.of("cluster.worker.heartbeat-interval",
			"cluster.worker.heartbeat-timeout", "cluster.worker.hang-timeout", "cluster.worker.boot-timeout",
			"cluster.worker.kill-timeout",
			"cluster.restart.backoff-initial", "cluster.restart.backoff-max", "cluster.restart.min-uptime",
			"cluster.relay.idle-timeout");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, ClusterEndpointAutoConfiguration.class,
				ClusterHealthContributorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=cluster")
		.withUserConfiguration(RoleBeans.class);

	// The test JVM is Surefire's booter, not an application a worker could be launched from.
	private final WebApplicationContextRunner primaryRunner = this.runner.withBean(WorkerLauncher.class,
			() -> new WorkerLauncher(new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar", "app.jar",
					List.of(), Map.of()), List.of(), Map.of()));

	@Test
	void standaloneWithoutWorkersIsPlainSpringBoot() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ClusterPrimary.class)
				.doesNotHaveBean(ClusterWorker.class)
				.doesNotHaveBean(LazyInitializationBeanFactoryPostProcessor.class)
				.doesNotHaveBean(ClusterEndpoint.class)
				.hasBean("standaloneOnly")
				.doesNotHaveBean("primaryOnly");
			assertThat(context.getBean(ServletWebServerFactory.class))
				.isNotInstanceOf(ClusterPrimaryWebServerFactory.class);
		});
		this.runner.withPropertyValues("cluster.workers=0")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterPrimary.class));
	}

	@Test
	void primaryGetsTheSupervisorAndTheOnlyWebServerFactory() {
		this.primaryRunner.withPropertyValues("cluster.workers=2").run((context) -> {
			assertThat(context).hasSingleBean(ClusterPrimary.class)
				.hasSingleBean(RestartOnHangup.class)
				.hasSingleBean(ClusterHealthIndicator.class)
				.hasSingleBean(WorkerLauncher.class)
				.hasSingleBean(ClusterEndpoint.class)
				.hasSingleBean(LazyInitializationBeanFactoryPostProcessor.class)
				.doesNotHaveBean(ClusterWorker.class)
				.hasBean("primaryOnly")
				.doesNotHaveBean("standaloneOnly");
			assertThat(context.getBeansOfType(ServletWebServerFactory.class).values()).singleElement()
				.isInstanceOf(ClusterPrimaryWebServerFactory.class);
		});
	}

	@Test
	void primaryLazyInitializationCanBeTurnedOff() {
		this.primaryRunner.withPropertyValues("cluster.workers=auto", "cluster.primary.lazy-initialization=false")
			.run((context) -> assertThat(context).hasSingleBean(ClusterPrimary.class)
				.doesNotHaveBean(LazyInitializationBeanFactoryPostProcessor.class));
	}

	@Test
	void theWorkersHeapPercentageDefaultsToHalfAndCanBeSetUpToAll() {
		this.primaryRunner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context.getBean(ClusterProperties.class).getWorker().getHeapPercentage())
				.isEqualTo(50));
		this.primaryRunner.withPropertyValues("cluster.workers=2", "cluster.worker.heap-percentage=100")
			.run((context) -> assertThat(context.getBean(ClusterProperties.class).getWorker().getHeapPercentage())
				.isEqualTo(100));
	}

	@Test
	void invalidPropertiesFailNamingTheProperty() {
		assertFailsNaming("cluster.workers", "cluster.workers=many");
		assertFailsNaming("cluster.worker.kill-timeout", "cluster.workers=2", "cluster.worker.kill-timeout=0s");
		assertFailsNaming("cluster.restart.backoff-max", "cluster.workers=2", "cluster.restart.backoff-initial=5s",
				"cluster.restart.backoff-max=1s");
		assertFailsNaming("cluster.worker.env", "cluster.workers=2", "cluster.worker.env.CLUSTER_WORKER_ID=9");
		assertFailsNaming("cluster.worker.jvm-args", "cluster.workers=2", "cluster.worker.jvm-args=-jar");
		assertFailsNaming("cluster.worker.heartbeat-timeout", "cluster.workers=2",
				"cluster.worker.heartbeat-interval=5s", "cluster.worker.heartbeat-timeout=6s");
		assertFailsNaming("cluster.worker.hang-timeout", "cluster.workers=2", "cluster.worker.heartbeat-interval=5s",
				"cluster.worker.hang-timeout=6s");
		this.primaryRunner.withPropertyValues("cluster.workers=2", "cluster.worker.hang-timeout=0")
			.run((context) -> assertThat(context).as("no limit").hasNotFailed());
		assertFailsNaming("cluster.worker.max-requests", "cluster.workers=2", "cluster.worker.max-requests=-1");
		assertFailsNaming("cluster.worker.max-heap", "cluster.workers=2", "cluster.worker.max-heap=0");
		assertFailsNaming("cluster.worker.heap-percentage", "cluster.workers=2", "cluster.worker.heap-percentage=0");
		assertFailsNaming("cluster.worker.heap-percentage", "cluster.workers=2",
				"cluster.worker.heap-percentage=100.5");
		assertFailsNaming("cluster.worker.warmup.paths", "cluster.workers=2", "cluster.worker.warmup.paths=health");
		assertFailsNaming("cluster.worker.warmup.paths", "cluster.workers=2", "cluster.worker.warmup.paths=/a b");
		assertFailsNaming("cluster.worker.warmup.duration", "cluster.workers=2", "cluster.worker.boot-timeout=10s",
				"cluster.worker.warmup.paths=/", "cluster.worker.warmup.duration=6s");
		assertFailsNaming("cluster.worker.warmup.concurrency", "cluster.workers=2", "cluster.worker.warmup.paths=/",
				"cluster.worker.warmup.concurrency=0");
		assertFailsNaming("cluster.restart.max-restarts", "cluster.workers=2", "cluster.restart.max-restarts=0");
		assertFailsNaming("cluster.rolling.batch-size", "cluster.workers=2", "cluster.rolling.batch-size=0");
		assertFailsNaming("cluster.relay.idle-timeout", "cluster.workers=2", "cluster.relay.idle-timeout=0s");
		assertFailsNaming("cluster.max-workers", "cluster.workers=2", "cluster.max-workers=0");
		this.primaryRunner.withPropertyValues("cluster.workers=2", "cluster.mode=tunnel").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'cluster.mode'");
		});
	}

	@Test
	void aNegativeWorkerCountIsAnErrorNotAuto() {
		for (String workers : new String[] { "-1", "-2", "-2147483648" }) {
			assertFailsNaming("cluster.workers", "cluster.workers=" + workers);
		}
		this.primaryRunner.withPropertyValues("cluster.workers=auto")
			.run((context) -> assertThat(context).hasSingleBean(ClusterPrimary.class));
	}

	@Test
	void thePrimaryResolvesTheEndpointsAccessForItsWorkers() {
		// the runner's environment converts enums by their names only, unlike an application's
		for (String access : new String[] { "READ_ONLY", "UNRESTRICTED", "NONE" }) {
			this.primaryRunner.withPropertyValues("cluster.workers=2", "management.endpoint.cluster.access=" + access)
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ClusterPrimary.class));
		}
	}

	@Test
	void durationsBelow100msFailNamingTheProperty() {
		for (String property : DURATIONS) {
			this.primaryRunner.withPropertyValues("cluster.workers=2", property + "=99ms").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining(property)
					.hasMessageEndingWith("must be at least 100ms");
			});
		}
		List<String> atTheFloor = new ArrayList<>(List.of("cluster.workers=2"));
		DURATIONS.forEach((property) -> atTheFloor.add(property + "=100ms"));
		atTheFloor.set(atTheFloor.indexOf("cluster.worker.heartbeat-timeout=100ms"),
				"cluster.worker.heartbeat-timeout=200ms");
		atTheFloor.set(atTheFloor.indexOf("cluster.worker.hang-timeout=100ms"), "cluster.worker.hang-timeout=200ms");
		this.primaryRunner.withPropertyValues(atTheFloor.toArray(String[]::new))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ClusterPrimary.class));
	}

	@Test
	void maxWorkersCapsAFixedCountAndAuto() {
		this.primaryRunner.withPropertyValues("cluster.workers=5", "cluster.max-workers=4").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("cluster.workers")
				.hasMessageContaining("must not be more than cluster.max-workers (4)");
		});
		this.primaryRunner.withPropertyValues("cluster.workers=4", "cluster.max-workers=4")
			.run((context) -> assertThat(context).hasNotFailed());
		this.primaryRunner.withPropertyValues("cluster.workers=auto", "cluster.max-workers=1").run((context) -> {
			ClusterProperties properties = context.getBean(ClusterProperties.class);
			assertThat(properties.resolveWorkers()).isEqualTo(1);
			assertThat(properties.resolveMaxWorkers()).isEqualTo(1);
		});
		this.primaryRunner.withPropertyValues("cluster.workers=auto").run((context) -> {
			ClusterProperties properties = context.getBean(ClusterProperties.class);
			assertThat(properties.getMaxWorkers()).isNull();
			assertThat(properties.resolveMaxWorkers())
				.isEqualTo(Math.min(4 * Runtime.getRuntime().availableProcessors(), 64));
			assertThat(properties.resolveWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
		});
	}

	@Test
	void everyScaleRequestOverTheLimitIsRefusedNamingIt() {
		this.primaryRunner.withPropertyValues("cluster.workers=2", "cluster.max-workers=3").run((context) -> {
			ClusterPrimary primary = context.getBean(ClusterPrimary.class);
			assertThatIllegalArgumentException().isThrownBy(() -> primary.scale(4))
				.withMessage("Cannot scale to 4 worker(s): cluster.max-workers is 3");
			assertThat(context.getBean(ClusterOperations.class).scale(Integer.MAX_VALUE))
				.failsWithin(Duration.ofSeconds(1))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(IllegalArgumentException.class)
				.withMessage("Cannot scale to 2147483647 worker(s): cluster.max-workers is 3");
			WebEndpointResponse<Object> response = context.getBean(ClusterEndpoint.class)
				.change(Integer.MAX_VALUE, null);
			assertThat(response.getStatus()).isEqualTo(400);
			assertThat(response.getBody()).isEqualTo(Map.of("status", 400, "error",
					"Cannot scale to 2147483647 worker(s): cluster.max-workers is 3"));
		});
		int byDefault = Math.min(4 * Runtime.getRuntime().availableProcessors(), 64);
		this.primaryRunner.withPropertyValues("cluster.workers=1")
			.run((context) -> assertThat(context.getBean(ClusterOperations.class).scale(byDefault + 1))
				.failsWithin(Duration.ofSeconds(1))
				.withThrowableOfType(ExecutionException.class)
				.withMessageContaining("cluster.max-workers is " + byDefault));
	}

	@Test
	void aPrimaryThatCannotTellItsMainClassFailsSayingHowToStartIt() {
		this.runner.withPropertyValues("cluster.workers=2", "cluster.primary.lazy-initialization=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageStartingWith("Cannot tell the main class of this JVM")
					.hasMessageEndingWith("start the application with 'java -jar' or 'java -cp ... MainClass'");
			});
	}

	private void assertFailsNaming(String property, String... properties) {
		this.primaryRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(property);
		});
	}

	@Test
	void workerConnectsToItsPrimaryAndTakesTheSharedSocket() throws Exception {
		List<ControlMessage> received = new CopyOnWriteArrayList<>();
		try (ControlServer server = ControlServer.start(new RecordingListener(received))) {
			String token = ControlServer.newToken();
			server.expect(5, token);
			this.runner
				.withPropertyValues("cluster.workers=2", "cluster.worker.id=5",
						"cluster.control.socket=" + server.address(), "cluster.control.token=" + token)
				.withBean(WorkerExit.class, NoExit::new)
				.run((context) -> {
					assertThat(context).hasSingleBean(ClusterWorker.class)
						.hasSingleBean(SharedSocketDrain.class)
						.hasSingleBean(ClusterEndpoint.class)
						.doesNotHaveBean(ClusterPrimary.class)
						.doesNotHaveBean(LazyInitializationBeanFactoryPostProcessor.class)
						.hasBean("workerOnly");
					assertThat(context.getBean(ClusterWorker.class).id()).isEqualTo(5);
					await().untilAsserted(() -> assertThat(received).first().isInstanceOf(ControlMessage.Online.class));
				});
		}
	}

	@Test
	void aSlowOrThrowingMessageListenerHoldsUpNeitherTheReaderNorTheHeartbeats() throws Exception {
		List<ControlMessage> received = new CopyOnWriteArrayList<>();
		RecordingListener listener = new RecordingListener(received);
		try (ControlServer server = ControlServer.start(listener)) {
			String token = ControlServer.newToken();
			server.expect(5, token);
			worker(server, token).withUserConfiguration(SlowListener.class).run((context) -> {
				ControlConnection primary = await().until(listener::connection, Objects::nonNull);
				SlowListener slow = context.getBean(SlowListener.class);
				primary.send(new ControlMessage.Message(JsonNodeFactory.instance.stringNode("slow")));
				await().until(() -> slow.received.contains("slow"));
				primary.send(new ControlMessage.Message(JsonNodeFactory.instance.stringNode("next")));
				long heartbeats = count(received, ControlMessage.Heartbeat.class);
				ClusterWorker worker = context.getBean(ClusterWorker.class);
				// the reader still reads: the primary's heartbeats keep the worker from silence
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
					primary.send(new ControlMessage.PrimaryHeartbeat());
					return worker.primarySilence().isEmpty();
				});
				assertThat(count(received, ControlMessage.Heartbeat.class)).isGreaterThan(heartbeats);
				assertThat(slow.received).containsExactly("slow");
				slow.release.countDown();
				await().untilAsserted(() -> assertThat(slow.received).containsExactly("slow", "next"));
				primary.send(new ControlMessage.Message(JsonNodeFactory.instance.stringNode("throw")));
				primary.send(new ControlMessage.Message(JsonNodeFactory.instance.stringNode("after")));
				await().untilAsserted(() -> assertThat(slow.received).containsExactly("slow", "next", "throw", "after"));
			});
		}
	}

	@Test
	void aWorkerWhosePrimaryFallsSilentIsDownUntilItIsHeardAgain() throws Exception {
		RecordingListener listener = new RecordingListener(new CopyOnWriteArrayList<>());
		try (ControlServer server = ControlServer.start(listener)) {
			String token = ControlServer.newToken();
			server.expect(5, token);
			worker(server, token).run((context) -> {
				ControlConnection primary = await().until(listener::connection, Objects::nonNull);
				HealthIndicator health = context.getBean("clusterHealthContributor", HealthIndicator.class);
				ClusterWorker worker = context.getBean(ClusterWorker.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> worker.primarySilence().isPresent());
				Health down = health.health(true);
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails().get("primary")).asString().startsWith("not heard for");
				primary.send(new ControlMessage.PrimaryHeartbeat());
				await().atMost(Duration.ofSeconds(5)).until(() -> worker.primarySilence().isEmpty());
				assertThat(health.health(true).getDetails()).doesNotContainKey("primary"); // asks the primary
			});
		}
	}

	private WebApplicationContextRunner worker(ControlServer server, String token) {
		return this.runner
			.withPropertyValues("cluster.workers=2", "cluster.worker.id=5", "cluster.control.socket=" + server.address(),
					"cluster.control.token=" + token, "cluster.worker.heartbeat-interval=100ms",
					"cluster.worker.heartbeat-timeout=400ms")
			.withBean(WorkerExit.class, NoExit::new);
	}

	private static long count(List<ControlMessage> messages, Class<?> type) {
		return messages.stream().filter(type::isInstance).count();
	}

	@Test
	void workerWithoutAPrimaryFailsClearly() {
		this.runner.withPropertyValues("cluster.worker.id=5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("CLUSTER_CONTROL_SOCKET");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RoleBeans {

		@Bean
		@ConditionalOnClusterRole(ClusterRole.PRIMARY)
		String primaryOnly() {
			return "primary";
		}

		@Bean
		@ConditionalOnClusterRole(ClusterRole.WORKER)
		String workerOnly() {
			return "worker";
		}

		@Bean
		@ConditionalOnClusterRole(ClusterRole.STANDALONE)
		String standaloneOnly() {
			return "standalone";
		}

	}

	static class NoExit implements WorkerExit {

		@Override
		public void drainAndExit() {
		}

		@Override
		public void primaryLost() {
		}

	}

	static class SlowListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@EventListener
		void received(PrimaryMessageEvent event) throws InterruptedException {
			String text = event.payload(String.class);
			this.received.add(text);
			if (text.equals("slow")) {
				this.release.await();
			}
			if (text.equals("throw")) {
				throw new IllegalStateException("a listener failed");
			}
		}

	}

	record RecordingListener(List<ControlMessage> received, AtomicReference<ControlConnection> connected)
			implements ControlServer.Listener {

		RecordingListener(List<ControlMessage> received) {
			this(received, new AtomicReference<>());
		}

		@Nullable ControlConnection connection() {
			return this.connected.get();
		}

		@Override
		public void connected(ControlConnection connection) {
			this.connected.set(connection);
		}

		@Override
		public void received(ControlConnection connection, ControlMessage message, Runnable handled) {
			handled.run();
			this.received.add(message);
		}

		@Override
		public void closed(ControlConnection connection, @Nullable Exception cause) {
		}

		@Override
		public void failed(Throwable error) {
			throw new AssertionError("The control server failed", error);
		}

	}

}
