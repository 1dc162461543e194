package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.bootcluster.ipc.ControlMessage.Query.Operation;
import dev.bootcluster.ipc.QueryRefusedException;
import dev.bootcluster.primary.ClusterOperations;
import dev.bootcluster.primary.ClusterSnapshot;
import dev.bootcluster.primary.NoSuchWorkerException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker's {@link ClusterOperations}: each is a query to the primary over the control
 * channel, which applies it and answers with its state. A refusal comes back as the
 * exception the primary itself would have thrown.
 */
public final class RemoteClusterOperations implements ClusterOperations {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final ClusterWorker worker;

	/**
	 * Creates the operations of a worker.
	 * @param worker the worker's link to its primary
	 */
	public RemoteClusterOperations(ClusterWorker worker) {
		this.worker = worker;
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

	private CompletableFuture<ClusterSnapshot> ask(Operation operation, int argument) {
		return this.worker.client()
			.query(operation, argument, TIMEOUT)
			.thenApply((state) -> jsonMapper.treeToValue(state, ClusterSnapshot.class))
			.exceptionallyCompose((failure) -> CompletableFuture.failedFuture(translate(failure)));
	}

	private static Throwable translate(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof QueryRefusedException refused) {
			return refused.isNotFound() ? new NoSuchWorkerException(refused.getMessage())
					: new IllegalArgumentException(refused.getMessage());
		}
		return cause;
	}

}
