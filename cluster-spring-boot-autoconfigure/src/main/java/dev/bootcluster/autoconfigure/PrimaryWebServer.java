package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.socket.SocketBinding;
import dev.bootcluster.supervision.ClusterPrimary;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerException;

/**
 * The primary's web server: Tomcat with its servlet context initialized but no connector
 * bound. {@link #start()} binds the shared sockets (address, port and accept count from
 * the configured connectors: the main one, then each additional one) and forks the
 * workers; {@link #getPort()} is the shared port, so {@code local.server.port} and
 * {@code server.port=0} work; a graceful shutdown disconnects the workers and
 * {@link #stop()} kills what is left.
 */
class PrimaryWebServer extends TomcatWebServer {

	private final Connector connector;

	private final List<Connector> additionalConnectors;

	private final ClusterPrimary primary;

	private final Shutdown shutdown;

	private boolean started;

	PrimaryWebServer(Tomcat tomcat, Connector connector, List<Connector> additionalConnectors,
			ClusterPrimary primary, Shutdown shutdown) {
		super(tomcat, false, Shutdown.IMMEDIATE);
		this.connector = connector;
		this.additionalConnectors = List.copyOf(additionalConnectors);
		this.primary = primary;
		this.shutdown = shutdown;
	}

	@Override
	public synchronized void start() {
		if (this.started) {
			return;
		}
		List<SocketBinding> bindings = new ArrayList<>();
		bindings.add(binding(this.connector));
		this.additionalConnectors.stream().map(PrimaryWebServer::additionalBinding).forEach(bindings::add);
		try {
			this.primary.start(bindings);
		}
		catch (IOException ex) {
			PortInUseException.throwIfPortBindingException(ex, () -> portInUse(ex, bindings));
			throw new WebServerException("Unable to start the cluster primary", ex);
		}
		this.started = true;
	}

	private static SocketBinding binding(Connector connector) {
		AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
		return new SocketBinding(protocol.getAddress(), connector.getPortWithOffset(), protocol.getAcceptCount());
	}

	// Workers accept on what the primary binds only through Tomcat's NIO HTTP/1.1 endpoint
	// (with or without TLS and HTTP/2): any other protocol would be bound here and
	// served nowhere.
	private static SocketBinding additionalBinding(Connector connector) {
		if (connector.getProtocolHandler().getClass() != Http11NioProtocol.class) {
			throw new WebServerException("The additional connector on port " + connector.getPort() + " uses "
					+ connector.getProtocolHandler().getClass().getName()
					+ ": a cluster shares connectors of Tomcat's " + Http11NioProtocol.class.getName()
					+ " (HTTP/1.1, with or without TLS and HTTP/2) only", null);
		}
		return binding(connector);
	}

	// The port the kernel refused: a BindException names the address and port it failed on.
	private static int portInUse(IOException ex, List<SocketBinding> bindings) {
		String message = String.valueOf(ex.getMessage());
		return bindings.stream()
			.map(SocketBinding::port)
			.filter((port) -> port > 0 && message.endsWith(":" + port))
			.findFirst()
			.orElse(bindings.get(0).port());
	}

	@Override
	public int getPort() {
		return this.primary.port();
	}

	@Override
	public void shutDownGracefully(GracefulShutdownCallback callback) {
		if (this.shutdown != Shutdown.GRACEFUL) {
			callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
			return;
		}
		this.primary.shutDownGracefully(() -> callback.shutdownComplete(GracefulShutdownResult.IDLE));
	}

	@Override
	public void stop() {
		this.primary.stop();
		super.stop();
	}

}
