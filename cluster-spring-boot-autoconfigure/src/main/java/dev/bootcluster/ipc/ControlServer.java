package dev.bootcluster.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.thread.ClusterThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's end of the control channel: a Unix domain socket in a directory only this
 * user can enter, where each expected worker connects once and proves itself with its
 * token. A peer that sends no hello in time, a wrong token, a malformed or oversized
 * frame loses its connection; the server and every other connection carry on. Each
 * connection has a reader and a writer thread of its own (see {@link ControlConnection}).
 */
public final class ControlServer implements Closeable {

	static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

	// Until a peer has proven itself it may not make the primary buffer much.
	static final int HELLO_MAX_BYTES = 4096;

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private static final SecureRandom random = new SecureRandom();

	private final Path directory;

	private final Path address;

	private final ServerSocketChannel server;

	private final Listener listener;

	private final Map<Integer, byte[]> expected = new ConcurrentHashMap<>();

	private final Set<SocketChannel> channels = ConcurrentHashMap.newKeySet();

	private final Set<ControlConnection> connections = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService deadlines;

	private final Duration helloTimeout;

	private ControlServer(Path directory, ServerSocketChannel server, Listener listener, Duration helloTimeout) {
		this.directory = directory;
		this.helloTimeout = helloTimeout;
		this.address = directory.resolve("control.sock");
		this.server = server;
		this.listener = listener;
		ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
				ClusterThreads.factory("cluster-control-deadlines"));
		deadlines.setRemoveOnCancelPolicy(true);
		this.deadlines = deadlines;
	}

	/**
	 * Opens the control socket and starts accepting workers.
	 * @param listener what to tell of connections and their messages, called from the
	 * connection's own thread
	 * @return the running server
	 * @throws IOException if the socket cannot be opened
	 */
	public static ControlServer start(Listener listener) throws IOException {
		return start(listener, HELLO_TIMEOUT);
	}

	/**
	 * A new directory only this user can enter (0700 where the file system has POSIX
	 * permissions; on Windows a user's temporary directory is private already).
	 */
	private static Path privateDirectory() throws IOException {
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			return Files.createTempDirectory("cluster-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		return Files.createTempDirectory("cluster-");
	}

	static ControlServer start(Listener listener, Duration helloTimeout) throws IOException {
		Path directory = privateDirectory();
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			server.bind(UnixDomainSocketAddress.of(directory.resolve("control.sock")));
		}
		catch (IOException ex) {
			server.close();
			Files.deleteIfExists(directory);
			throw new IOException("Cannot open the control socket in " + directory + ": " + ex.getMessage(), ex);
		}
		ControlServer controlServer = new ControlServer(directory, server, listener, helloTimeout);
		ClusterThreads.start("cluster-control-acceptor", controlServer::accept);
		return controlServer;
	}

	/**
	 * A new random token for one worker.
	 * @return the token
	 */
	public static String newToken() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * The path of the control socket, for workers to connect to.
	 * @return the socket's path
	 */
	public Path address() {
		return this.address;
	}

	/**
	 * Lets a worker connect once with its token.
	 * @param workerId the worker's id
	 * @param token the worker's token
	 */
	public void expect(int workerId, String token) {
		this.expected.put(workerId, token.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Stops expecting a worker that has not connected.
	 * @param workerId the worker's id
	 */
	public void forget(int workerId) {
		this.expected.remove(workerId);
	}

	private void accept() {
		while (this.server.isOpen()) {
			try {
				SocketChannel channel = this.server.accept();
				this.channels.add(channel);
				try {
					ClusterThreads.start("cluster-control", () -> serve(channel));
				}
				catch (Throwable ex) { // no thread to serve it: the worker sees the channel end
					close(channel);
					this.channels.remove(channel);
					throw ex;
				}
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("Failed to accept a control connection", ex);
			}
			catch (Throwable ex) { // the acceptor must outlive anything it meets
				failed("the control channel's acceptor", ex);
			}
		}
	}

	private void serve(SocketChannel channel) {
		try {
			ControlConnection connection = authenticate(channel);
			if (connection != null) {
				converse(connection, channel);
			}
		}
		finally {
			close(channel);
			this.channels.remove(channel);
		}
	}

	private @Nullable ControlConnection authenticate(SocketChannel channel) {
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> close(channel), this.helloTimeout.toMillis(),
				TimeUnit.MILLISECONDS);
		try {
			ControlMessage first = FrameCodec.read(channel, HELLO_MAX_BYTES);
			if (!deadline.cancel(false)) {
				throw new IOException("no hello within " + this.helloTimeout.toMillis() + " ms");
			}
			if (!(first instanceof ControlMessage.Hello hello)) {
				throw new IOException((first != null) ? "expected a hello, got " + first : "closed before a hello");
			}
			byte[] token = this.expected.get(hello.workerId());
			if (token == null || !MessageDigest.isEqual(token, hello.token().getBytes(StandardCharsets.UTF_8))) {
				throw new IOException("wrong token for worker " + hello.workerId());
			}
			if (!this.expected.remove(hello.workerId(), token)) {
				throw new IOException("worker " + hello.workerId() + " is already connected");
			}
			return new ControlConnection(channel, hello.workerId(), hello.pid(), (error) -> {
				if (error instanceof VirtualMachineError) {
					this.listener.failed(error);
				}
			});
		}
		catch (IOException ex) {
			boolean timedOut = !deadline.cancel(false) && !deadline.isCancelled();
			if (this.server.isOpen()) {
				logger.warn("Dropped a control connection: "
						+ (timedOut ? "no hello within " + this.helloTimeout.toMillis() + " ms" : ex.getMessage()));
			}
			return null;
		}
	}

	private void converse(ControlConnection connection, SocketChannel channel) {
		Exception cause = null;
		this.connections.add(connection);
		try {
			connection.startWriting();
			this.listener.connected(connection);
			for (FrameCodec.Frame frame = FrameCodec.readFrame(channel, FrameCodec.MAX_FRAME_BYTES); frame != null;
					frame = FrameCodec.readFrame(channel, FrameCodec.MAX_FRAME_BYTES)) {
				Runnable handled = connection.admit(frame.bytes());
				this.listener.received(connection, frame.message(), handled);
			}
		}
		catch (ClosedChannelException | InterruptedException ex) {
			// closed on this side: not the worker's doing
		}
		catch (IOException | RuntimeException ex) {
			cause = ex;
		}
		catch (Throwable ex) {
			failed("the control channel of worker " + connection.workerId(), ex);
		}
		finally {
			this.connections.remove(connection);
			connection.close();
			this.listener.closed(connection, cause);
		}
	}

	private void failed(String where, Throwable error) {
		logger.error("Unexpected failure in " + where, error);
		if (error instanceof VirtualMachineError) {
			this.listener.failed(error);
		}
	}

	/**
	 * Closes the socket and every connection, and removes the socket's directory.
	 */
	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control socket", ex);
		}
		this.deadlines.shutdownNow();
		this.connections.forEach(ControlConnection::close); // their readers may wait for room
		this.channels.forEach(ControlServer::close);
		try {
			Files.deleteIfExists(this.address);
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.warn("Failed to remove the control socket's directory " + this.directory + ": " + ex.getMessage());
		}
	}

	private static void close(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close a control connection", ex);
		}
	}

	/**
	 * Told of each worker's connection, called from that connection's thread.
	 */
	public interface Listener {

		/**
		 * A worker has connected and proven who it is.
		 * @param connection the connection
		 */
		void connected(ControlConnection connection);

		/**
		 * A worker sent a message. Until {@code handled} runs, the frame counts against the
		 * worker's window, and once the window is full no more of its frames are read.
		 * @param connection the connection
		 * @param message the message
		 * @param handled to run once the message is dealt with
		 */
		void received(ControlConnection connection, ControlMessage message, Runnable handled);

		/**
		 * A worker's connection has ended.
		 * @param connection the connection
		 * @param cause why, or {@code null} if the worker closed it or the primary did
		 */
		void closed(ControlConnection connection, @Nullable Exception cause);

		/**
		 * The server's own machinery met an error the JVM may not recover from (such as
		 * an {@link OutOfMemoryError}); it carries on as far as it can.
		 * @param error the error
		 */
		void failed(Throwable error);

	}

}
