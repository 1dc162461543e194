package dev.bootcluster.primary;

import java.io.IOException;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerException;

/**
 * The primary's web server: Tomcat with its servlet context initialized but no connector
 * bound. {@link #start()} binds the shared socket (address, port and accept count from
 * the configured connector) and forks the workers; {@link #getPort()} is the shared port,
 * so {@code local.server.port} and {@code server.port=0} work; a graceful shutdown
 * disconnects the workers and {@link #stop()} kills what is left.
 */
class PrimaryWebServer extends TomcatWebServer {

	private final Connector connector;

	private final ClusterPrimary primary;

	private final Shutdown shutdown;

	private boolean started;

	PrimaryWebServer(Tomcat tomcat, Connector connector, ClusterPrimary primary, Shutdown shutdown) {
		super(tomcat, false, Shutdown.IMMEDIATE);
		this.connector = connector;
		this.primary = primary;
		this.shutdown = shutdown;
	}

	@Override
	public synchronized void start() {
		if (this.started) {
			return;
		}
		Connector connector = this.connector;
		AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
		try {
			this.primary.start(protocol.getAddress(), connector.getPort(), protocol.getAcceptCount());
		}
		catch (IOException ex) {
			PortInUseException.throwIfPortBindingException(ex, connector::getPort);
			throw new WebServerException("Unable to start the cluster primary", ex);
		}
		this.started = true;
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
