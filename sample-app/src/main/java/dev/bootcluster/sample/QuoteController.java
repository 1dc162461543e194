package dev.bootcluster.sample;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Quotes from a catalog held in each worker's memory, optionally slow (to show in-flight
 * requests surviving a drain), and a greeting taken from the command line.
 */
@RestController
class QuoteController {

	private static final Log logger = LogFactory.getLog(QuoteController.class);

	private final QuoteCatalog catalog;

	private final String greeting;

	QuoteController(QuoteCatalog catalog, @Value("${sample.greeting:hello}") String greeting) {
		this.catalog = catalog;
		this.greeting = greeting;
	}

	@GetMapping("/quotes/{id}")
	Map<String, Object> quote(@PathVariable int id, @RequestParam(defaultValue = "0") long delayMillis)
			throws InterruptedException {
		if (delayMillis >= 1000) {
			logger.info("Answering quote " + id + " slowly, in " + delayMillis + " ms");
		}
		if (delayMillis > 0) {
			Thread.sleep(Math.min(delayMillis, 30_000));
		}
		String quote = this.catalog.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No quote " + id));
		return Map.of("id", id, "quote", quote);
	}

	@GetMapping("/greeting")
	Map<String, String> greeting() {
		return Map.of("greeting", this.greeting);
	}

}
