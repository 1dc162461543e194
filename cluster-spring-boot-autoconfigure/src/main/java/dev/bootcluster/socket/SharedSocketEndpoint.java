package dev.bootcluster.socket;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.net.Acceptor.AcceptorState;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * A Tomcat NIO endpoint that accepts on a socket shared with sibling workers and drains
 * without losing a connection.
 * <p>
 * Tomcat's own graceful stop loses connections on a shared socket: {@code pause()}
 * refuses what was accepted but not yet read, and the acceptor is woken by a connection to
 * the socket's own address, which a sibling may take instead, leaving this acceptor to
 * accept, and destroy, one more real connection later. Here the drain never pauses: the
 * server socket is closed gracefully (which also turns keep-alive off), a connection the
 * acceptor still takes is served rather than destroyed, and the acceptor is woken until it
 * has really ended, so nothing is taken from the kernel's queue once the drain is over.
 */
public class SharedSocketEndpoint extends NioEndpoint {

	private static final Log logger = LogFactory.getLog(SharedSocketEndpoint.class);

	private static final Duration WAKE_INTERVAL = Duration.ofMillis(10);

	private static final int WAKE_ATTEMPTS = 200;

	private static final Field SERVER_SOCKET = serverSocketField();

	private volatile @Nullable ServerSocketChannel inheritedChannel;

	private volatile boolean draining;

	/**
	 * Accepts on a socket the primary handed over, rather than on a port of its own or on
	 * standard input: how an additional connector shares its port in inherit mode. The
	 * endpoint closes its hold on it when it stops; the primary keeps its own.
	 * @param channel the listening channel
	 */
	void inherit(ServerSocketChannel channel) {
		this.inheritedChannel = channel;
	}

	@Override
	protected void initServerSocket() throws Exception {
		ServerSocketChannel channel = this.inheritedChannel;
		if (channel == null) {
			String socketPath = getUnixDomainSocketPath();
			if (socketPath != null) { // left by a killed process of the same pid, long gone
				Files.deleteIfExists(Path.of(socketPath));
			}
			super.initServerSocket();
			return;
		}
		channel.configureBlocking(true); // as Tomcat's own
		ReflectionUtils.setField(SERVER_SOCKET, this, channel);
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		try {
			super.doCloseServerSocket();
		}
		catch (NoSuchFileException ex) {
			// a Unix domain socket, removed already when the drain closed it
		}
	}

	/**
	 * Stops taking connections from the shared socket (or, in relay mode, from the port the
	 * primary relays to, which sends no new ones by then); connections already taken are
	 * served, with keep-alive off.
	 */
	public void stopAccepting() {
		InetSocketAddress local = localAddressOrNull();
		this.draining = true;
		closeServerSocketGraceful();
		if (local != null && getUseInheritedChannel()) {
			wakeAcceptor(local); // the socket stays open: only a connection ends a blocked accept
		}
		else {
			awaitAcceptorEnd(); // closed under it, the acceptor ends by itself
		}
	}

	/**
	 * Shortens the keep-alive wait of every idle connection, so that a client that sends
	 * no further request does not hold the drain up; one that does is served once more,
	 * with {@code Connection: close}.
	 * @param grace how long an idle connection may still wait for its next request
	 */
	public void expireIdleConnections(Duration grace) {
		for (SocketWrapperBase<?> connection : getConnections()) {
			if (connection.getCurrentProcessor() == null && connection.getReadTimeout() > grace.toMillis()) {
				connection.setReadTimeout(grace.toMillis());
			}
		}
	}

	/**
	 * Whether the drain is over: the acceptor has ended and every connection is closed.
	 * @return {@code true} when nothing is left to serve
	 */
	public boolean isDrained() {
		return this.draining && acceptorEnded() && getConnections().isEmpty();
	}

	/**
	 * The address of the shared socket.
	 * @return the socket's local address
	 * @throws IOException if it cannot be read
	 */
	public InetSocketAddress sharedAddress() throws IOException {
		return getLocalAddress();
	}

	@Override
	protected void unlockAccept() {
		// On a shared socket, a sibling may take the connection meant to wake this acceptor;
		// on a port of its own (relay mode) Tomcat's wake-up works, and the acceptor ends
		// before the socket closes under it.
		if (!this.draining || !isOnSharedSocket()) {
			super.unlockAccept();
		}
	}

	@Override
	protected void destroySocket(SocketChannel socket) {
		if (this.draining && isRunning() && setSocketOptions(socket)) {
			return; // taken from the shared queue: serve it, or the client loses it
		}
		super.destroySocket(socket);
	}

	private boolean isOnSharedSocket() {
		return getUseInheritedChannel() || this.inheritedChannel != null;
	}

	private void awaitAcceptorEnd() {
		for (int attempt = 0; attempt < WAKE_ATTEMPTS && !acceptorEnded(); attempt++) {
			LockSupport.parkNanos(WAKE_INTERVAL.toNanos());
		}
		if (!acceptorEnded()) {
			logger.warn("The acceptor did not end; it serves the next connection it takes");
		}
	}

	private boolean acceptorEnded() {
		return this.acceptor == null || this.acceptor.getState() == AcceptorState.ENDED;
	}

	private @Nullable InetSocketAddress localAddressOrNull() {
		try {
			return getLocalAddress();
		}
		catch (IOException ex) {
			logger.warn("Cannot tell the shared socket's address; the acceptor ends with the next connection", ex);
			return null;
		}
	}

	private static Field serverSocketField() {
		Field field = ReflectionUtils.findField(NioEndpoint.class, "serverSock", ServerSocketChannel.class);
		if (field == null) {
			throw new IllegalStateException("This Tomcat's NioEndpoint has no serverSock field");
		}
		ReflectionUtils.makeAccessible(field);
		return field;
	}

	/**
	 * Connects to the shared socket until this endpoint's acceptor has taken one of the
	 * connections and ended. The kernel wakes blocked acceptors in turn, so siblings may
	 * take a few of them first; they see a connection closed without a request.
	 */
	private void wakeAcceptor(InetSocketAddress local) {
		InetAddress address = local.getAddress();
		InetSocketAddress target = (address != null && !address.isAnyLocalAddress()) ? local
				: (address instanceof Inet4Address) ? new InetSocketAddress("127.0.0.1", local.getPort())
						: new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getPort());
		for (int attempt = 0; attempt < WAKE_ATTEMPTS && !acceptorEnded(); attempt++) {
			try (SocketChannel channel = SocketChannel.open(target)) {
				LockSupport.parkNanos(WAKE_INTERVAL.toNanos());
			}
			catch (IOException ex) {
				logger.debug("Failed to connect to " + target + " to wake the acceptor", ex);
			}
		}
		if (!acceptorEnded()) {
			logger.warn("The acceptor of the shared socket did not end; it serves the next connection it takes");
		}
	}

}
