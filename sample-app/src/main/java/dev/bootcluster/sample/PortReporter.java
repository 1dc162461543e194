package dev.bootcluster.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs the port the application serves on, as {@code local.server.port} tells it: in the
 * primary and in every worker it is the one shared port, even with {@code server.port=0};
 * and the management port, which only the primary serves.
 */
@Component
class PortReporter {

	private static final Log logger = LogFactory.getLog(PortReporter.class);

	@EventListener
	void onWebServerInitialized(WebServerInitializedEvent event) {
		String property = "management".equals(event.getApplicationContext().getServerNamespace())
				? "local.management.port" : "local.server.port";
		logger.info(property + " is " + event.getApplicationContext().getEnvironment().getProperty(property));
	}

}
