package dev.bootcluster.socket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.process.ChildProcess;
import dev.bootcluster.process.Posix;
import dev.bootcluster.process.ProcessExit;
import dev.bootcluster.thread.ClusterThreads;
import org.jspecify.annotations.Nullable;

/**
 * Hands sockets over with {@code posix_spawn} through {@link Posix} (the Foreign Function
 * and Memory API, Java 22+ on Linux): the sockets are created close-on-exec, so only the
 * workers they are handed to hold them, and each worker leads a process group of its own.
 */
final class NativeHandoff implements SocketHandoff {

	static final NativeHandoff INSTANCE = new NativeHandoff();

	private NativeHandoff() {
	}

	@Override
	public @Nullable String unavailableReason(int sockets) {
		return Posix.unavailableReason();
	}

	@Override
	public String description() {
		return "the workers take the sockets themselves";
	}

	@Override
	public Listening listen(SocketBinding binding) throws IOException {
		int fd = Posix.listen(binding.address(), binding.port(), binding.backlog());
		try {
			return new Descriptor(fd, Posix.localPort(fd), Posix.isInet6(fd));
		}
		catch (IOException | RuntimeException ex) {
			Posix.close(fd);
			throw ex;
		}
	}

	@Override
	public ChildProcess spawn(List<String> command, Map<String, String> environment, List<Listening> sockets)
			throws IOException {
		int[] fds = sockets.stream().mapToInt(Listening::fd).toArray();
		return new SpawnedProcess(Posix.spawn(command.get(0), new ArrayList<>(command), environment, fds));
	}

	private record Descriptor(int fd, int port, boolean inet6) implements Listening {

		@Override
		public void close() throws IOException {
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
			ClusterThreads.start("cluster-reaper-" + pid, this::reap);
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
