package dev.bootcluster.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.bootcluster.launch.PrimaryRuntime;
import dev.bootcluster.launch.WorkerLauncher;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a lean primary creates on a data-backed application (JPA, Flyway, a Hikari pool, a
 * cache), and what it leaves to workers.
 */
class LeanPrimaryTests {

	// a worker's own link to its primary is not what this is about: the data auto-configurations only
	private final WebApplicationContextRunner workerRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				TransactionAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				FlywayAutoConfiguration.class))
		.withInitializer((context) -> new ClusterEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.flyway.locations=classpath:db/lean", "cluster.worker.id=1");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, DataSourceAutoConfiguration.class,
				TransactionAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				FlywayAutoConfiguration.class, CacheAutoConfiguration.class))
		.withInitializer((context) -> new ClusterEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withUserConfiguration(Caching.class)
		.withPropertyValues("spring.flyway.locations=classpath:db/lean");

	private final WebApplicationContextRunner primaryRunner = this.runner
		.withBean(WorkerLauncher.class,
				() -> new WorkerLauncher(new PrimaryRuntime("/opt/java/bin/java", List.of(), "app.jar", "app.jar",
						List.of(), Map.of()), List.of(), Map.of()))
		.withPropertyValues("cluster.workers=2");

	@Test
	void leanPrimaryMigratesButDoesNotStartJpaAndHoldsNoConnection() {
		String url = database();
		this.primaryRunner.withPropertyValues("spring.datasource.url=" + url).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(created(context, "flywayInitializer")).isTrue();
			assertThat(created(context, "entityManagerFactory")).isFalse();
			assertThat(migrations(url)).isEqualTo(1);
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getHikariPoolMXBean().getTotalConnections()).isZero();
			assertThat(dataSource.getMinimumIdle()).isZero();
		});
	}

	@Test
	void aPrimaryBeanThatUsesJpaStillGetsIt() {
		this.primaryRunner.withPropertyValues("spring.datasource.url=" + database())
			.withUserConfiguration(PrimaryReport.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(created(context, "entityManagerFactory")).isTrue();
				assertThat(context.getBean(PrimaryReport.class).factory.isOpen()).isTrue();
			});
	}

	@Test
	void aPrimaryThatIsNotLeanStartsEverythingAsBefore() {
		this.primaryRunner.withPropertyValues("spring.datasource.url=" + database(), "cluster.primary.lean=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(LeanPrimaryBeanFactoryPostProcessor.class);
				assertThat(created(context, "entityManagerFactory")).isTrue();
			});
	}

	@Test
	void aWorkerSkipsTheMigrationsThePrimaryRan() {
		String url = database();
		this.primaryRunner.withPropertyValues("spring.datasource.url=" + url).run((primary) -> {
			assertThat(migrations(url)).isEqualTo(1);
			this.workerRunner.withPropertyValues("spring.datasource.url=" + url, "spring.jpa.hibernate.ddl-auto=validate")
				.run((worker) -> {
					assertThat(worker).hasNotFailed().doesNotHaveBean("flywayInitializer");
					assertThat(created(worker, "entityManagerFactory")).isTrue();
					assertThat(worker.getEnvironment().getProperty("spring.sql.init.mode")).isEqualTo("never");
				});
		});
	}

	@Test
	void theWorkersOfAPrimaryThatIsNotLeanMigrateAsBefore() {
		String url = database();
		this.workerRunner.withPropertyValues("spring.datasource.url=" + url, "cluster.primary.lean=false")
			.run((worker) -> {
				assertThat(worker).hasNotFailed().hasBean("flywayInitializer");
				assertThat(migrations(url)).isEqualTo(1);
			});
	}

	@Test
	void aStandaloneApplicationIsUntouched() {
		this.runner.withPropertyValues("spring.datasource.url=" + database()).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(LeanPrimaryBeanFactoryPostProcessor.class);
			assertThat(created(context, "entityManagerFactory")).isTrue();
			assertThat(context.getBean(HikariDataSource.class).getMinimumIdle()).isNotZero();
		});
	}

	private static boolean created(AssertableWebApplicationContext context, String bean) {
		if (context.getBeanFactory().getRegisteredScope(OnDemandScope.NAME) instanceof OnDemandScope onDemand
				&& onDemand.contains(bean)) {
			return true;
		}
		return context.getBeanFactory().containsSingleton(bean);
	}

	private static String database() {
		return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	private static Integer migrations(String url) {
		DataSource dataSource = new DriverManagerDataSource(url, "sa", "");
		return JdbcClient.create(dataSource)
			.sql("select count(*) from \"flyway_schema_history\" where \"success\" and \"version\" is not null")
			.query(Integer.class)
			.single();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

	}

	/**
	 * A primary-only bean (eager) that needs JPA.
	 */
	@Configuration(proxyBeanMethods = false)
	@Lazy(false)
	static class PrimaryReport {

		final EntityManagerFactory factory;

		PrimaryReport(EntityManagerFactory factory) {
			this.factory = factory;
		}

	}

}
