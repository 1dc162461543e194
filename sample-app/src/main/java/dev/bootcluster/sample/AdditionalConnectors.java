package dev.bootcluster.sample;

import java.io.IOException;
import java.util.Map;

import dev.bootcluster.Cluster;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Connectors beside the main one, added the way Spring Boot's documentation adds them (a
 * {@link WebServerFactoryCustomizer} calling {@code addAdditionalConnectors}), each when
 * its port is set: an HTTPS port with HTTP/2 from the SSL bundle {@code additional}
 * ({@code sample.connectors.https-port}), and an HTTP port that redirects every request to
 * the main connector's HTTPS ({@code sample.connectors.redirect-port}, with
 * {@code server.ssl.*}). In a cluster the primary binds each port and every worker
 * serves it. Every response names the worker that served it ({@code X-Cluster-Worker}),
 * redirects too.
 */
@Configuration(proxyBeanMethods = false)
class AdditionalConnectors {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> sampleWorkerHeader() {
		return (factory) -> factory.addEngineValves(new WorkerHeaderValve());
	}

	@Bean
	@ConditionalOnProperty("sample.connectors.https-port")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> sampleHttpsConnector(Environment environment,
			SslBundles sslBundles) {
		return (factory) -> {
			Connector connector = new Connector();
			connector.setPort(environment.getRequiredProperty("sample.connectors.https-port", Integer.class));
			new SslConnectorCustomizer(LogFactory.getLog(AdditionalConnectors.class), connector, null)
				.customize(sslBundles.getBundle("additional"), Map.of());
			connector.addUpgradeProtocol(new Http2Protocol());
			factory.addAdditionalConnectors(connector);
		};
	}

	@Bean
	@ConditionalOnProperty("sample.connectors.redirect-port")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> sampleRedirectConnector(Environment environment) {
		return (factory) -> {
			Connector connector = new Connector();
			connector.setPort(environment.getRequiredProperty("sample.connectors.redirect-port", Integer.class));
			connector.setRedirectPort(environment.getRequiredProperty("server.port", Integer.class));
			factory.addAdditionalConnectors(connector);
			factory.addContextCustomizers((context) -> {
				SecurityConstraint confidential = new SecurityConstraint();
				confidential.setUserConstraint("CONFIDENTIAL");
				SecurityCollection everything = new SecurityCollection();
				everything.addPattern("/*");
				confidential.addCollection(everything);
				context.addConstraint(confidential);
			});
		};
	}

	/**
	 * Names the worker in every response, before any redirect is decided.
	 */
	static final class WorkerHeaderValve extends ValveBase {

		private final String worker = Integer.toString(Cluster.workerId());

		WorkerHeaderValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			response.setHeader("X-Cluster-Worker", this.worker);
			getNext().invoke(request, response);
		}

	}

}
