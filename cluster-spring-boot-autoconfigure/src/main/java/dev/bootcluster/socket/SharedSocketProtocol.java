package dev.bootcluster.socket;

import java.util.Arrays;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Tomcat's HTTP/1.1 NIO protocol on a {@link SharedSocketEndpoint}; Tomcat instantiates it
 * by class name, hence the public no-argument constructor.
 */
public class SharedSocketProtocol extends Http11NioProtocol {

	public SharedSocketProtocol() {
		super(new SharedSocketEndpoint());
	}

	/**
	 * The port this connector serves: on a Unix domain socket, which has none, the public
	 * port the primary relays from (its configured port), as a worker in inherit mode
	 * reports the port it accepts on.
	 */
	@Override
	public int getLocalPort() {
		return (sharedSocketEndpoint().getUnixDomainSocketPath() != null) ? getPort() : super.getLocalPort();
	}

	/**
	 * The endpoint accepting on the shared socket.
	 * @return the endpoint
	 */
	public SharedSocketEndpoint sharedSocketEndpoint() {
		return (SharedSocketEndpoint) getEndpoint();
	}

	/**
	 * The shared-socket endpoints of a web server's connectors.
	 * @param webServer the web server
	 * @return its shared-socket endpoints, none if it is not such a Tomcat
	 */
	public static List<SharedSocketEndpoint> endpoints(WebServer webServer) {
		if (!(webServer instanceof TomcatWebServer tomcat)) {
			return List.of();
		}
		return Arrays.stream(tomcat.getTomcat().getService().findConnectors())
			.map(Connector::getProtocolHandler)
			.filter(SharedSocketProtocol.class::isInstance)
			.map((protocol) -> ((SharedSocketProtocol) protocol).sharedSocketEndpoint())
			.toList();
	}

}
