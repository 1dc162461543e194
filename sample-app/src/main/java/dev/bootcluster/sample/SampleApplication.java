package dev.bootcluster.sample;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionDataSourceScriptDatabaseInitializer;
import org.springframework.context.annotation.Bean;

/**
 * A web application that runs clustered: one primary and a worker per processor, with
 * sessions in a database they share, so a login outlives the worker that made it.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/**
	 * The primary starts lazily; this has it create the session tables (and open the
	 * shared database) at startup, before it forks a worker.
	 * @return the filter that keeps the schema's initializer eager
	 */
	@Bean
	static LazyInitializationExcludeFilter sessionSchemaFirst() {
		return LazyInitializationExcludeFilter.forBeanTypes(JdbcSessionDataSourceScriptDatabaseInitializer.class);
	}

}
