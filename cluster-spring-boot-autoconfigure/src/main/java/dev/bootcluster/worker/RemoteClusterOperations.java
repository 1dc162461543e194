package dev.bootcluster.worker;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.PrimaryUnreachableException;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage.Query.Operation;
import dev.bootcluster.ipc.OutboundQueueFullException;
import dev.bootcluster.ipc.QueryRefusedException;
import dev.bootcluster.ipc.Wire;
import tools.jackson.databind.JsonNode;

/**
 * A worker's {@link ClusterOperations}: each is a query to the primary over the control
 * channel, which applies it and answers with its state. A refusal comes back as the
 * exception the primary itself would have thrown: an {@link IllegalArgumentException}
 * for an argument out of bounds, a {@link NoSuchWorkerException} for a worker that does
 * not run, and a {@link SecurityException} for a change workers may not ask for (unless
 * {@code management.endpoint.cluster.access} is {@code unrestricted}, they only read). A
 * primary that does not answer within 5 seconds, or a closed channel, is a
 * {@link PrimaryUnreachableException} that names what was asked.
 */
public final class RemoteClusterOperations implements ClusterOperations {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final Supplier<ControlClient> client;

	private final Duration timeout;

	/**
	 * Creates the operations of a worker.
	 * @param worker the worker's link to its primary
	 */
	public RemoteClusterOperations(ClusterWorker worker) {
		this(worker::client, TIMEOUT);
	}

	RemoteClusterOperations(Supplier<ControlClient> client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	@Override
	public CompletableFuture<ClusterSnapshot> state() {
		return ask(Operation.STATE, 0);
	}

	@Override
	public CompletableFuture<ClusterSnapshot> scale(int workers) {
		return ask(Operation.SCALE, workers);
	}

	@Override
	public CompletableFuture<ClusterSnapshot> restart() {
		return ask(Operation.RESTART, 0);
	}

	@Override
	public CompletableFuture<ClusterSnapshot> replace(int workerId) {
		return ask(Operation.REPLACE, workerId);
	}

	@Override
	public CompletableFuture<String> threadDump(int workerId) {
		return this.client.get()
			.query(Operation.THREAD_DUMP, workerId, this.timeout)
			.thenApply(JsonNode::asString)
			.exceptionallyCompose((failure) -> CompletableFuture
				.failedFuture(translate(failure, "'threadDump " + workerId + "'")));
	}

	private CompletableFuture<ClusterSnapshot> ask(Operation operation, int argument) {
		return this.client.get()
			.query(operation, argument, this.timeout)
			.thenApply((state) -> Wire.mapper().readerFor(ClusterSnapshot.class).<ClusterSnapshot>readValue(state))
			.exceptionallyCompose((failure) -> CompletableFuture.failedFuture(translate(failure, asked(operation, argument))));
	}

	private static String asked(Operation operation, int argument) {
		return switch (operation) {
			case STATE, RESTART -> "'" + operation.name().toLowerCase(Locale.ROOT) + "'";
			case SCALE, REPLACE -> "'" + operation.name().toLowerCase(Locale.ROOT) + " " + argument + "'";
			case THREAD_DUMP -> "'threadDump " + argument + "'";
		};
	}

	private Throwable translate(Throwable failure, String asked) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		String unanswered = "The primary did not answer " + asked;
		if (cause instanceof TimeoutException) {
			return new PrimaryUnreachableException(unanswered + " within " + this.timeout.toMillis() + " ms", cause);
		}
		if (cause instanceof ClosedChannelException) {
			return new PrimaryUnreachableException(unanswered + ": the control channel is closed", cause);
		}
		if (cause instanceof OutboundQueueFullException) {
			return new PrimaryUnreachableException(unanswered + ": " + cause.getMessage(), cause);
		}
		if (cause instanceof QueryRefusedException refused) {
			return switch (refused.reason()) {
				case NOT_FOUND -> new NoSuchWorkerException(refused.getMessage());
				case FORBIDDEN -> new SecurityException(refused.getMessage());
				case INVALID -> new IllegalArgumentException(refused.getMessage());
			};
		}
		return cause;
	}

}
