package dev.bootcluster.autoconfigure;

import dev.bootcluster.supervision.ClusterPrimary;
import org.apache.catalina.startup.Tomcat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

/**
 * The primary's servlet web server factory. Given a {@link ClusterPrimary} it makes a
 * Tomcat that is fully configured (so the application context gets its real
 * {@code ServletContext}) but never binds a connector: starting it starts the cluster
 * instead, which binds the port of every connector (the main one and those added with
 * {@link #addAdditionalConnectors}) and shares it with the workers. Without one it is
 * plain Tomcat, which is what Spring Boot's management context
 * gets when it instantiates this class for a separate management port.
 */
class ClusterPrimaryWebServerFactory extends TomcatServletWebServerFactory {

	private @Nullable ClusterPrimary primary;

	/**
	 * Makes the servers of this factory start the given primary instead of Tomcat's
	 * connectors.
	 * @param primary the cluster's primary
	 */
	public void setClusterPrimary(ClusterPrimary primary) {
		this.primary = primary;
	}

	@Override
	protected TomcatWebServer getTomcatWebServer(Tomcat tomcat) {
		ClusterPrimary primary = this.primary;
		// The configured connectors, taken before TomcatWebServer removes them from the service.
		return (primary != null) ? new PrimaryWebServer(tomcat, tomcat.getConnector(), getAdditionalConnectors(),
				primary, getShutdown()) : super.getTomcatWebServer(tomcat);
	}

}
