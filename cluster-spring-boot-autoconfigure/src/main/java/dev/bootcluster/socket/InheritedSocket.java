package dev.bootcluster.socket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bootcluster.process.ChildProcess;

/**
 * Inherit mode: the primary's listening sockets are handed to each worker, the main one
 * as its standard input (the worker's Tomcat accepts on {@link System#inheritedChannel()})
 * and those of additional connectors as the descriptors that follow it (see
 * {@link InheritedChannels}), by the {@link SocketHandoff} this JVM has. The kernel hands
 * queued connections to blocked acceptors first-in first-out, and each queue outlives any
 * worker because the primary keeps the sockets open.
 */
final class InheritedSocket implements SharedSocket {

	private final SocketHandoff handoff;

	private final List<SocketHandoff.Listening> sockets;

	private final List<Integer> ports;

	private final String inheritedChannels;

	private final String reason;

	private boolean closed;

	private InheritedSocket(SocketHandoff handoff, List<SocketHandoff.Listening> sockets, String reason) {
		this.handoff = handoff;
		this.reason = reason;
		this.sockets = List.copyOf(sockets);
		this.ports = sockets.stream().map(SocketHandoff.Listening::port).toList();
		boolean[] inet6 = new boolean[sockets.size()];
		for (int i = 0; i < inet6.length; i++) {
			inet6[i] = sockets.get(i).inet6();
		}
		this.inheritedChannels = InheritedChannels.describe(inet6);
	}

	static InheritedSocket bind(SocketHandoff handoff, List<SocketBinding> bindings, String reason)
			throws IOException {
		List<SocketHandoff.Listening> sockets = new ArrayList<>();
		try {
			for (SocketBinding binding : bindings) {
				sockets.add(handoff.listen(binding));
			}
			return new InheritedSocket(handoff, sockets, reason);
		}
		catch (IOException | RuntimeException ex) {
			for (SocketHandoff.Listening socket : sockets) {
				socket.close();
			}
			throw ex;
		}
	}

	@Override
	public String mode() {
		return "inherit";
	}

	@Override
	public String reason() {
		return this.reason;
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
		Map<String, String> inherited = ModeMarker.marked(environment, ModeMarker.INHERIT);
		if (this.sockets.size() > 1) {
			argv.addAll(1, InheritedChannels.JVM_OPTIONS);
			inherited.put(InheritedChannels.VARIABLE, this.inheritedChannels);
		}
		return this.handoff.spawn(argv, inherited, this.sockets);
	}

	@Override
	public synchronized void close() throws IOException {
		if (!this.closed) {
			this.closed = true;
			IOException failure = null;
			for (SocketHandoff.Listening socket : this.sockets) {
				try {
					socket.close();
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

}
