package dev.bootcluster.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Inherit mode: the primary's listening socket becomes each worker's standard input, and
 * the worker's Tomcat accepts on {@link System#inheritedChannel()}. The kernel hands
 * queued connections to blocked acceptors first-in first-out, and the queue outlives any
 * worker because the primary keeps the socket open.
 */
final class InheritedSocket implements SharedSocket {

	private final int fd;

	private final int port;

	private boolean closed;

	private InheritedSocket(int fd, int port) {
		this.fd = fd;
		this.port = port;
	}

	static InheritedSocket bind(@Nullable InetAddress address, int port, int backlog) throws IOException {
		int fd = Posix.listen(address, port, backlog);
		try {
			return new InheritedSocket(fd, Posix.localPort(fd));
		}
		catch (IOException | RuntimeException ex) {
			Posix.close(fd);
			throw ex;
		}
	}

	@Override
	public String mode() {
		return "inherit";
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public synchronized ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		if (this.closed) {
			throw new IOException("The shared socket is closed");
		}
		long pid = Posix.spawn(command.get(0), new ArrayList<>(command), environment, this.fd);
		return new SpawnedProcess(pid);
	}

	@Override
	public synchronized void close() throws IOException {
		if (!this.closed) {
			this.closed = true;
			Posix.close(this.fd);
		}
	}

	/**
	 * A process started by {@code posix_spawn}, reaped by {@code waitpid} on a thread of
	 * its own. Once reaped its pid may be reused by an unrelated process, so it is never
	 * signalled again.
	 */
	private static final class SpawnedProcess implements ChildProcess {

		private final long pid;

		private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();

		private volatile boolean reaped;

		SpawnedProcess(long pid) {
			this.pid = pid;
			Thread reaper = new Thread(this::reap, "cluster-reaper-" + pid);
			reaper.setDaemon(true);
			reaper.start();
		}

		private void reap() {
			try {
				ProcessExit ended = Posix.waitFor(this.pid);
				this.reaped = true;
				this.exit.complete(ended);
			}
			catch (IOException | RuntimeException ex) {
				this.reaped = true;
				this.exit.completeExceptionally(ex);
			}
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public CompletableFuture<ProcessExit> onExit() {
			return this.exit;
		}

		@Override
		public boolean signal(String signal) throws IOException {
			return !this.reaped && Posix.kill(this.pid, signal);
		}

	}

}
