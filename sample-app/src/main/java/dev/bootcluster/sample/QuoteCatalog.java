package dev.bootcluster.sample;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Service;

/**
 * The quotes a worker serves. It is built when first needed, so the primary, which serves
 * no request and initializes lazily, never builds it.
 */
@Service
class QuoteCatalog {

	private static final Log logger = LogFactory.getLog(QuoteCatalog.class);

	private final List<String> quotes = List.of("Simplicity is prerequisite for reliability.",
			"Make it work, make it right, make it fast.", "There is no place like 127.0.0.1.",
			"Premature optimization is the root of all evil.", "Talk is cheap. Show me the code.");

	QuoteCatalog() {
		logger.info("Quote catalog loaded in pid " + ProcessHandle.current().pid());
	}

	Optional<String> find(int id) {
		return (id >= 0 && id < this.quotes.size()) ? Optional.of(this.quotes.get(id)) : Optional.empty();
	}

}
