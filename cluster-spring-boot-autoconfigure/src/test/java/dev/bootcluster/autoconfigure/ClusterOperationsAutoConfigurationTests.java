package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.ClusterOperations;
import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.event.PrimaryMessageEvent;
import dev.bootcluster.ipc.ControlConnection;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlServer;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.supervision.ClusterPrimary;
import dev.bootcluster.supervision.PrimaryMessenger;
import dev.bootcluster.worker.RemoteClusterOperations;
import dev.bootcluster.worker.WorkerExit;
import dev.bootcluster.worker.WorkerMessenger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the beans of the operations surface: messengers, operations, availability
 * and metrics, in each role, and how a user replaces them.
 */
class ClusterOperationsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, ClusterEndpointAutoConfiguration.class,
				ClusterHealthContributorAutoConfiguration.class, ClusterMetricsAutoConfiguration.class));

	private final WebApplicationContextRunner primaryRunner = this.runner.withPropertyValues("cluster.workers=2")
		.withBean(WorkerLauncher.class, () -> new WorkerLauncher(
				new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar", "app.jar", List.of(), Map.of()),
				List.of(), Map.of()));

	@Test
	void standaloneHasNoneOfThem() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterMessenger.class)
			.doesNotHaveBean(ClusterOperations.class)
			.doesNotHaveBean(ClusterAvailability.class)
			.doesNotHaveBean(ClusterMetrics.class));
	}

	@Test
	void primaryMessagesWorkersAndDoesItsOwnOperations() {
		this.primaryRunner.run((context) -> {
			assertThat(context).getBean(ClusterMessenger.class).isInstanceOf(PrimaryMessenger.class);
			assertThat(context).hasSingleBean(ClusterOperations.class).hasSingleBean(ClusterMetrics.class);
			ClusterMessenger messenger = context.getBean(ClusterMessenger.class);
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> messenger.sendToPrimary("hello"));
		});
	}

	@Test
	void primaryReadinessRefusesTrafficWhileTooFewWorkersAreReady() {
		this.primaryRunner.run((context) -> {
			assertThat(context).getBean(ApplicationAvailability.class).isInstanceOf(ClusterAvailability.class);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		});
	}

	@Test
	void primaryMetricsAreBoundWithEveryStateAndCause() {
		this.primaryRunner.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ClusterMetrics.class).bindTo(registry);
			assertThat(registry.get("cluster.workers").tag("state", "ready").gauge().value()).isZero();
			assertThat(registry.get("cluster.workers").gauges()).hasSize(7);
			assertThat(registry.get("cluster.worker.exits").tag("cause", "crashed").functionCounter().count())
				.isZero();
			assertThat(registry.get("cluster.worker.restarts").functionCounter().count()).isZero();
		});
	}

	@Test
	void userBeansReplaceTheClusters() {
		this.primaryRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).getBean(ClusterMessenger.class).isSameAs(context.getBean("userMessenger"));
			assertThat(context).getBean(ClusterMetrics.class).isSameAs(context.getBean("userMetrics"));
			assertThat(context).getBean(ClusterOperations.class).isSameAs(context.getBean("userOperations"));
			assertThat(context).doesNotHaveBean(ClusterAvailability.class).hasSingleBean(ApplicationAvailability.class);
		});
	}

	@Test
	void minReadyMustBeBetweenOneAndTheWorkers() {
		for (String minReady : new String[] { "0", "3" }) {
			this.primaryRunner.withPropertyValues("cluster.min-ready=" + minReady).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("cluster.min-ready");
			});
		}
	}

	@Test
	void workerMessagesItsPrimaryAndGetsItsMessagesAsEvents() throws Exception {
		List<ControlMessage> received = new CopyOnWriteArrayList<>();
		Greeter greeter = new Greeter(received, new CountDownLatch(1));
		try (ControlServer server = ControlServer.start(greeter)) {
			String token = ControlServer.newToken();
			server.expect(5, token);
			this.runner
				.withPropertyValues("cluster.workers=2", "cluster.worker.id=5",
						"cluster.control.socket=" + server.address(), "cluster.control.token=" + token)
				.withBean(WorkerExit.class, ClusterAutoConfigurationTests.NoExit::new)
				.withBean(MessageRecorder.class)
				.withBean("lateBean", LateBean.class, () -> new LateBean(greeter),
						(definition) -> definition.setDependsOn("clusterWorker"))
				.run((context) -> {
					assertThat(context).getBean(ClusterMessenger.class).isInstanceOf(WorkerMessenger.class);
					assertThat(context).getBean(ClusterOperations.class).isInstanceOf(RemoteClusterOperations.class);
					assertThat(context).doesNotHaveBean(ClusterMetrics.class).doesNotHaveBean(ClusterAvailability.class);
					// sent by the primary as soon as the worker connected, before its listeners existed
					await().untilAsserted(() -> assertThat(context.getBean(MessageRecorder.class).payloads)
						.containsExactly(Map.of("greeting", "welcome")));
					ClusterMessenger messenger = context.getBean(ClusterMessenger.class);
					messenger.sendToPrimary(Map.of("from", 5));
					await().untilAsserted(() -> assertThat(received).filteredOn(ControlMessage.Message.class::isInstance)
						.singleElement()
						.hasToString("Message[]")
						.extracting((message) -> ((ControlMessage.Message) message).payload().toString())
						.isEqualTo("{\"from\":5}"));
					assertThatExceptionOfType(UnsupportedOperationException.class)
						.isThrownBy(() -> messenger.broadcast("hello"));
					assertThatIllegalArgumentException()
						.isThrownBy(() -> messenger.sendToPrimary("x".repeat(2 * 1024 * 1024)))
						.withMessageStartingWith("The message to the primary was not sent: Control frame of ");
					messenger.sendToPrimary("after");
					await().untilAsserted(() -> assertThat(received).filteredOn(ControlMessage.Message.class::isInstance)
						.hasSize(2));
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		ClusterMessenger userMessenger(ClusterPrimary primary) {
			return new PrimaryMessenger(primary, JsonMapper.builder().build());
		}

		@Bean
		ClusterMetrics userMetrics(ClusterPrimary primary) {
			return new ClusterMetrics(primary::snapshot, primary::liveWorkers);
		}

		@Bean
		ClusterOperations userOperations(ClusterPrimary primary) {
			return primary.operations();
		}

		@Bean
		ApplicationAvailability userAvailability() {
			return new ApplicationAvailabilityBean();
		}

	}

	static class MessageRecorder {

		final List<Object> payloads = new CopyOnWriteArrayList<>();

		@EventListener
		void received(PrimaryMessageEvent event) {
			this.payloads.add(event.payload(Map.class));
		}

	}

	/**
	 * Created after the worker has connected and been greeted, and slowly, so that the
	 * greeting comes while the context is still starting.
	 */
	static class LateBean {

		LateBean(Greeter greeter) {
			try {
				assertThat(greeter.greeted().await(5, TimeUnit.SECONDS)).isTrue();
				Thread.sleep(200); // the worker's channel thread reads the greeting meanwhile
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * Welcomes each worker with a message the moment it connects.
	 */
	record Greeter(List<ControlMessage> received, CountDownLatch greeted) implements ControlServer.Listener {

		@Override
		public void connected(ControlConnection connection) {
			try {
				connection.send(new ControlMessage.Message(
						JsonMapper.builder().build().valueToTree(Map.of("greeting", "welcome"))));
				this.greeted.countDown();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
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
