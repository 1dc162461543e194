package dev.bootcluster.socket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Inherit mode: the primary's listening sockets are handed to each worker, the main one
 * as its standard input (the worker's Tomcat accepts on {@link System#inheritedChannel()})
 * and those of additional connectors as the descriptors that follow it (see
 * {@link InheritedChannels}). The kernel hands queued connections to blocked acceptors
 * first-in first-out, and each queue outlives any worker because the primary keeps the
 * sockets open.
 */
final class InheritedSocket implements SharedSocket {

	private final int[] fds;

	private final List<Integer> ports;

	private final String inheritedChannels;

	private boolean closed;

	private InheritedSocket(int[] fds) throws IOException {
		this.fds = fds;
		List<Integer> ports = new ArrayList<>();
		boolean[] inet6 = new boolean[fds.length];
		for (int i = 0; i < fds.length; i++) {
			ports.add(Posix.localPort(fds[i]));
			inet6[i] = Posix.isInet6(fds[i]);
		}
		this.ports = List.copyOf(ports);
		this.inheritedChannels = InheritedChannels.describe(inet6);
	}

	static InheritedSocket bind(List<SocketBinding> bindings) throws IOException {
		int[] fds = new int[bindings.size()];
		int bound = 0;
		try {
			for (SocketBinding binding : bindings) {
				fds[bound] = Posix.listen(binding.address(), binding.port(), binding.backlog());
				bound++;
			}
			return new InheritedSocket(fds);
		}
		catch (IOException | RuntimeException ex) {
			for (int i = 0; i < bound; i++) {
				Posix.close(fds[i]);
			}
			throw ex;
		}
	}

	@Override
	public String mode() {
		return "inherit";
	}

	@Override
	public List<Integer> ports() {
		return this.ports;
	}

	@Override
	public synchronized ChildProcess spawn(List<String> command, Map<String, String> environment) throws IOException {
		if (this.closed) {
			throw new IOException("The shared socket is closed");
		}
		List<String> argv = new ArrayList<>(command);
		Map<String, String> inherited = environment;
		if (this.fds.length > 1) {
			argv.addAll(1, InheritedChannels.JVM_OPTIONS);
			inherited = new HashMap<>(environment);
			inherited.put(InheritedChannels.VARIABLE, this.inheritedChannels);
		}
		long pid = Posix.spawn(argv.get(0), argv, inherited, this.fds);
		return new SpawnedProcess(pid);
	}

	@Override
	public synchronized void close() throws IOException {
		if (!this.closed) {
			this.closed = true;
			IOException failure = null;
			for (int fd : this.fds) {
				try {
					Posix.close(fd);
				}
				catch (IOException ex) {
					failure = ex;
				}
			}
			if (failure != null) {
				throw failure;
			}
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
