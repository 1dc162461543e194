package dev.bootcluster.sample.data;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A catalogue of items as most Spring Boot applications are built: Spring Data JPA on a
 * database migrated by Flyway, Thymeleaf pages, a JSON API, Bean Validation and a cache.
 * Nothing in it knows it runs clustered but {@link WorkerHeaderFilter}, which names the
 * worker that served each request.
 */
@SpringBootApplication
@EnableCaching
public class CatalogueApplication {

	public static void main(String[] args) {
		SpringApplication.run(CatalogueApplication.class, args);
	}

}
