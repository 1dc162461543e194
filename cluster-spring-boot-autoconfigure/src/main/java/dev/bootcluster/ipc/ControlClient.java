package dev.bootcluster.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bootcluster.thread.ClusterThreads;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A worker's end of the control channel: connects to the primary's socket, proves itself
 * with its token, then sends messages (queued in a bounded {@link OutboundQueue}, never
 * waited for) and hands what the primary sends to a listener on a thread of its own.
 */
public final class ControlClient implements Closeable {

	private static final Duration CLOSE_FLUSH = Duration.ofSeconds(1);

	private final SocketChannel channel;

	private final Listener listener;

	private final OutboundQueue outbound;

	private final Map<Long, CompletableFuture<JsonNode>> queries = new ConcurrentHashMap<>();

	private final AtomicLong lastQueryId = new AtomicLong();

	private volatile boolean closing;

	private ControlClient(SocketChannel channel, Listener listener) {
		this.channel = channel;
		this.listener = listener;
		// a writer that fails closes the channel: the reader then reports its end
		this.outbound = new OutboundQueue(channel, "the primary", (error) -> {
		});
	}

	/**
	 * Connects to the primary and says hello.
	 * @param socket the primary's control socket
	 * @param workerId this worker's id
	 * @param token this worker's token
	 * @param listener what to tell of the primary's messages and of the channel's end
	 * @return the connected client
	 * @throws IOException if the primary cannot be reached
	 */
	public static ControlClient connect(Path socket, int workerId, String token, Listener listener)
			throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.connect(UnixDomainSocketAddress.of(socket));
			FrameCodec.write(channel, new ControlMessage.Hello(workerId, token, ProcessHandle.current().pid()));
		}
		catch (IOException ex) {
			channel.close();
			throw new IOException("Cannot reach the primary's control socket " + socket + ": " + ex.getMessage(), ex);
		}
		ControlClient client = new ControlClient(channel, listener);
		client.outbound.start();
		ClusterThreads.start("cluster-control", client::read);
		return client;
	}

	/**
	 * Queues a message for the primary; returns at once. Messages from one caller are sent
	 * in order, each frame whole.
	 * @param message the message
	 * @throws FrameTooLargeException if the message is over the frame size limit
	 * @throws OutboundQueueFullException if the frames waiting for the primary would
	 * exceed the queue's limit: the primary is not reading
	 * @throws ClosedChannelException if the channel is closed
	 */
	public void send(ControlMessage message) throws IOException {
		this.outbound.offer(message);
	}

	/**
	 * Asks the primary for the state of the cluster.
	 * @param timeout how long to wait for the answer
	 * @return the answer, failing with a {@link java.util.concurrent.TimeoutException} if
	 * it does not come in time, a {@link ClosedChannelException} if the channel ends
	 */
	public CompletableFuture<JsonNode> query(Duration timeout) {
		return query(ControlMessage.Query.Operation.STATE, 0, timeout);
	}

	/**
	 * Asks the primary to change the cluster, then for its state.
	 * @param operation what to do
	 * @param argument the operation's argument (a number of workers or a worker's id)
	 * @param timeout how long to wait for the answer
	 * @return the answer, failing with a {@link QueryRefusedException} if the primary
	 * refused the operation, a {@link java.util.concurrent.TimeoutException} if it does
	 * not come in time, a {@link ClosedChannelException} if the channel ends, an
	 * {@link OutboundQueueFullException} if the primary reads no more
	 */
	public CompletableFuture<JsonNode> query(ControlMessage.Query.Operation operation, int argument,
			Duration timeout) {
		long id = this.lastQueryId.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.queries.put(id, answer);
		answer.whenComplete((state, failure) -> this.queries.remove(id));
		try {
			send(new ControlMessage.Query(id, operation, argument));
		}
		catch (IOException ex) {
			answer.completeExceptionally(ex);
		}
		return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void read() {
		Exception cause = null;
		try {
			for (ControlMessage message = FrameCodec.read(this.channel,
					FrameCodec.MAX_FRAME_BYTES); message != null; message = FrameCodec.read(this.channel,
							FrameCodec.MAX_FRAME_BYTES)) {
				if (message instanceof ControlMessage.QueryReply reply) {
					CompletableFuture<JsonNode> answer = this.queries.get(reply.id());
					if (answer != null) {
						complete(answer, reply);
					}
				}
				else {
					this.listener.received(message);
				}
			}
		}
		catch (ClosedChannelException ex) {
			// closed on this side
		}
		catch (IOException | RuntimeException ex) {
			cause = ex;
		}
		IOException ended = new ClosedChannelException();
		this.queries.values().forEach((answer) -> answer.completeExceptionally(ended));
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// already ended
		}
		this.outbound.close();
		if (!this.closing) {
			this.listener.closed(cause);
		}
	}

	private static void complete(CompletableFuture<JsonNode> answer, ControlMessage.QueryReply reply) {
		ControlMessage.QueryReply.Refusal refusal = reply.refusal();
		JsonNode state = reply.state();
		if (refusal != null) {
			answer.completeExceptionally(new QueryRefusedException(refusal.reason(), refusal.message()));
		}
		else if (state != null) {
			answer.complete(state);
		}
		else {
			answer.completeExceptionally(new MalformedFrameException("A query reply with neither state nor refusal"));
		}
	}

	/**
	 * Whether the messages waiting for the primary take more than half the queue: what
	 * can wait (a worker's meters) should, so that heartbeats and replies always fit.
	 * @return whether the queue is half full
	 */
	public boolean isBacklogged() {
		return this.outbound.isBacklogged();
	}

	/**
	 * Waits until every message queued so far has been written, at most the given time.
	 * @param timeout how long to wait
	 * @return whether nothing waits any more
	 */
	public boolean flush(Duration timeout) {
		return this.outbound.flush(timeout);
	}

	/**
	 * Closes the channel without telling the listener, once what is queued has been
	 * written (a last disconnect, say), or after a second.
	 */
	@Override
	public void close() throws IOException {
		this.closing = true;
		this.outbound.flush(CLOSE_FLUSH);
		this.channel.close();
		this.outbound.close();
	}

	/**
	 * Told what the primary sends, from the channel's thread.
	 */
	public interface Listener {

		/**
		 * The primary sent a message.
		 * @param message the message
		 */
		void received(ControlMessage message);

		/**
		 * The channel ended without this side closing it: the primary closed it or died.
		 * @param cause the failure, or {@code null} if the channel simply ended
		 */
		void closed(@Nullable Exception cause);

	}

}
