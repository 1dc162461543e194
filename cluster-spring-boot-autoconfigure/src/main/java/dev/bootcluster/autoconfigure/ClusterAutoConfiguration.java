package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterRole;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerEnvironment;
import dev.bootcluster.launch.WorkerLauncher;
import dev.bootcluster.socket.SharedConnectors;
import dev.bootcluster.socket.SocketSettings;
import dev.bootcluster.socket.WorkerSocket;
import dev.bootcluster.supervision.ClusterPrimary;
import dev.bootcluster.supervision.PrimaryMessenger;
import dev.bootcluster.supervision.RestartPolicy;
import dev.bootcluster.supervision.SupervisionSettings;
import dev.bootcluster.worker.ClusterWorker;
import dev.bootcluster.worker.RemoteClusterOperations;
import dev.bootcluster.worker.SharedSocketDrain;
import dev.bootcluster.worker.SpringApplicationWorkerExit;
import dev.bootcluster.worker.WorkerExit;
import dev.bootcluster.worker.WorkerLoadFilter;
import dev.bootcluster.worker.WorkerMessenger;
import dev.bootcluster.worker.WorkerWarmup;
import org.apache.catalina.startup.Tomcat;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of a cluster: in the primary, the supervisor and the web server
 * factory that starts it instead of serving; in a worker, its link to the primary and the
 * Tomcat connector on the shared socket. A standalone application gets nothing.
 */
@AutoConfiguration(before = { TomcatServletWebServerAutoConfiguration.class,
		ApplicationAvailabilityAutoConfiguration.class })
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClusterRole(ClusterRole.PRIMARY)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class PrimaryConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(name = "cluster.primary.lazy-initialization", matchIfMissing = true)
		static LazyInitializationBeanFactoryPostProcessor clusterPrimaryLazyInitialization() {
			return new LazyInitializationBeanFactoryPostProcessor();
		}

		// The cluster itself is not lazy: its properties are checked and its supervisor
		// built at startup, whether or not a web server asks for them.
		@Bean
		static LazyInitializationExcludeFilter clusterPrimaryEagerBeans() {
			return LazyInitializationExcludeFilter.forBeanTypes(ClusterProperties.class, ClusterPrimary.class,
					RestartOnHangup.class);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "cluster.primary.lean", matchIfMissing = true)
		static LeanPrimaryBeanFactoryPostProcessor clusterLeanPrimary() {
			return new LeanPrimaryBeanFactoryPostProcessor();
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "cluster.primary.lean", matchIfMissing = true)
		@ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
		static PrimaryConnectionRelease clusterPrimaryConnectionRelease(ConfigurableListableBeanFactory beanFactory) {
			return new PrimaryConnectionRelease(beanFactory);
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerLauncher clusterWorkerLauncher(ClusterProperties properties,
				ObjectProvider<ApplicationArguments> arguments) {
			List<String> programArguments = arguments.stream()
				.findFirst()
				.map((applicationArguments) -> List.of(applicationArguments.getSourceArgs()))
				.orElse(List.of());
			ClusterProperties.Worker worker = properties.getWorker();
			ClusterProperties.Worker.AotCache aotCache = worker.getAotCache();
			return new WorkerLauncher(PrimaryRuntime.current(programArguments), worker.getJvmArgs(), worker.getEnv(),
					worker.getHeapPercentage(), aotCache.isEnabled() ? aotCache.resolveDirectory() : null,
					worker.getBootTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		RestartPolicy clusterRestartPolicy(ClusterProperties properties) {
			ClusterProperties.Restart restart = properties.getRestart();
			return new RestartPolicy(restart.getBackoffInitial(), restart.getBackoffMax(), restart.getMinUptime(),
					restart.getMaxRestarts());
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterPrimary clusterPrimary(ClusterProperties properties, WorkerLauncher launcher,
				RestartPolicy restartPolicy, ApplicationEventPublisher publisher, ObjectProvider<JsonMapper> jsonMapper,
				Environment environment) {
			ClusterProperties.Worker worker = properties.getWorker();
			DataSize maxHeap = worker.getMaxHeap();
			SupervisionSettings settings = new SupervisionSettings(properties.resolveWorkers(),
					properties.resolveMaxWorkers(), worker.getBootTimeout(), worker.getHeartbeatInterval(),
					worker.getHeartbeatTimeout(), worker.getHangTimeout(), worker.getKillTimeout(),
					worker.getMaxRequests(),
					worker.getMaxRequestsJitter(), (maxHeap != null) ? maxHeap.toBytes() : 0,
					properties.getRolling().getBatchSize(), properties.getMinReady(),
					WorkerOperationsAccess.workersMayChange(environment));
			SocketSettings socketSettings = new SocketSettings(properties.getMode(),
					properties.getRelay().getIdleTimeout(), properties.getRelay().getMaxConnections(),
					properties.getRelay().getTransport(),
					worker.getHeartbeatInterval().multipliedBy(5).dividedBy(2));
			return new ClusterPrimary(settings, socketSettings, launcher, restartPolicy, publisher,
					jsonMapper(jsonMapper));
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterOperations clusterOperations(ClusterPrimary primary) {
			return primary.operations();
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterMessenger clusterMessenger(ClusterPrimary primary, ObjectProvider<JsonMapper> jsonMapper) {
			return new PrimaryMessenger(primary, jsonMapper(jsonMapper));
		}

		@Bean
		@ConditionalOnMissingBean(ApplicationAvailability.class)
		ClusterAvailability clusterAvailability(ClusterPrimary primary, ClusterProperties properties,
				ApplicationEventPublisher publisher) {
			int minReady = properties.getMinReady();
			return new ClusterAvailability(() -> primary.snapshot().isAvailable(minReady),
					() -> primary.snapshot().primary().failure() != null, publisher);
		}

		@Bean
		@ConditionalOnMissingBean
		RestartOnHangup clusterRestartOnHangup(ClusterPrimary primary) {
			return new RestartOnHangup(primary);
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterPrimaryWebServerFactory clusterPrimaryWebServerFactory(ClusterPrimary primary,
				ObjectProvider<TomcatConnectorCustomizer> connectorCustomizers,
				ObjectProvider<TomcatContextCustomizer> contextCustomizers,
				ObjectProvider<TomcatProtocolHandlerCustomizer<?>> protocolHandlerCustomizers) {
			ClusterPrimaryWebServerFactory factory = new ClusterPrimaryWebServerFactory();
			factory.setClusterPrimary(primary);
			factory.getConnectorCustomizers().addAll(connectorCustomizers.orderedStream().toList());
			factory.getContextCustomizers().addAll(contextCustomizers.orderedStream().toList());
			factory.getProtocolHandlerCustomizers().addAll(protocolHandlerCustomizers.orderedStream().toList());
			return factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClusterRole(ClusterRole.WORKER)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class WorkerConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterWorkerLoadFilter")
		FilterRegistrationBean<WorkerLoadFilter> clusterWorkerLoadFilter() {
			FilterRegistrationBean<WorkerLoadFilter> registration = new FilterRegistrationBean<>(new WorkerLoadFilter());
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerExit clusterWorkerExit(ConfigurableApplicationContext context) {
			return new SpringApplicationWorkerExit(context);
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterWorker clusterWorker(ClusterProperties properties, Environment environment,
				FilterRegistrationBean<WorkerLoadFilter> clusterWorkerLoadFilter, WorkerExit exit,
				ApplicationEventPublisher publisher, ObjectProvider<JsonMapper> jsonMapper) throws IOException {
			return new ClusterWorker(Cluster.workerId(environment),
					Path.of(required(environment, "cluster.control.socket",
							WorkerEnvironment.CONTROL_SOCKET_VARIABLE)),
					required(environment, "cluster.control.token", WorkerEnvironment.CONTROL_TOKEN_VARIABLE),
					properties.getWorker().getHeartbeatInterval(), properties.getWorker().getHeartbeatTimeout(),
					clusterWorkerLoadFilter.getFilter(), exit, publisher, jsonMapper(jsonMapper));
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterOperations clusterOperations(ClusterWorker worker) {
			return new RemoteClusterOperations(worker);
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterMessenger clusterMessenger(ClusterWorker worker, ObjectProvider<JsonMapper> jsonMapper) {
			return new WorkerMessenger(worker, jsonMapper(jsonMapper));
		}

		private static String required(Environment environment, String property, String variable) {
			String value = environment.getProperty(property);
			if (value == null || value.isBlank()) {
				throw new IllegalStateException(
						variable + " is not set: a cluster worker must be started by its primary");
			}
			return value;
		}

		// The worker's half of the mode its primary chose: the socket package reads it from
		// the environment the primary started this worker with, the same for both beans.
		@Bean
		@ConditionalOnMissingBean(name = "clusterSharedSocketCustomizer")
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> clusterSharedSocketCustomizer() {
			return WorkerSocket.fromEnvironment(System.getenv())::customize;
		}

		@Bean
		@ConditionalOnMissingBean
		static SharedConnectors clusterSharedConnectors() {
			return new SharedConnectors(WorkerSocket.fromEnvironment(System.getenv()));
		}

		@Bean
		@ConditionalOnMissingBean
		SharedSocketDrain clusterSharedSocketDrain(ApplicationContext context) {
			return new SharedSocketDrain(context);
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerWarmup clusterWorkerWarmup(ApplicationContext context, ClusterProperties properties) {
			ClusterProperties.Worker.Warmup warmup = properties.getWorker().getWarmup();
			return new WorkerWarmup(context, warmup.getPaths(), warmup.getDuration(), warmup.getRequests(),
					warmup.getConcurrency());
		}

	}

	/**
	 * The application's mapper, so that payloads use its modules and settings.
	 */
	private static JsonMapper jsonMapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

}
