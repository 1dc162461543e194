package dev.bootcluster.supervision;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.WorkerRequest.Ask;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The primary's questions to workers that wait for an answer: each is sent with an id
 * of its own and completed by the worker's reply of that id, failed when the worker's
 * channel closes first or the timeout passes. Nothing here blocks its caller.
 */
final class WorkerRequests {

	private final AtomicLong lastId = new AtomicLong();

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	private final Sender sender;

	private final Duration timeout;

	WorkerRequests(Sender sender, Duration timeout) {
		this.sender = sender;
		this.timeout = timeout;
	}

	/**
	 * Asks a worker.
	 * @param workerId the worker
	 * @param ask what to do
	 * @param logger the logger it is about, or {@code null}
	 * @param level the level to set, or {@code null}
	 * @return the worker's answer
	 */
	CompletableFuture<JsonNode> ask(int workerId, Ask ask, @Nullable String logger, @Nullable String level) {
		long id = this.lastId.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(id, new Pending(workerId, answer));
		answer.whenComplete((result, failure) -> this.pending.remove(id));
		try {
			this.sender.send(workerId, new ControlMessage.WorkerRequest(id, ask, logger, level));
		}
		catch (Exception ex) {
			answer.completeExceptionally(ex);
			return answer;
		}
		long millis = this.timeout.toMillis();
		return answer.orTimeout(millis, TimeUnit.MILLISECONDS)
			.exceptionallyCompose((failure) -> CompletableFuture.failedFuture((failure instanceof TimeoutException)
					? new TimeoutException("Worker " + workerId + " did not answer within " + millis + " ms") : failure));
	}

	/**
	 * Completes the request a worker answers; a reply to no request of this worker's, as
	 * to one that timed out, is dropped.
	 * @param workerId the worker that replied
	 * @param reply its reply
	 */
	void replied(int workerId, ControlMessage.WorkerReply reply) {
		Pending request = this.pending.get(reply.id());
		if (request == null || request.workerId() != workerId) {
			return;
		}
		if (reply.error() != null || reply.result() == null) {
			request.answer().completeExceptionally(new IllegalStateException(
					"Worker " + workerId + " could not answer: " + reply.error()));
		}
		else {
			request.answer().complete(reply.result());
		}
	}

	/**
	 * Fails what a worker has not answered: its channel is closed.
	 * @param workerId the worker
	 */
	void closed(int workerId) {
		this.pending.values()
			.stream()
			.filter((request) -> request.workerId() == workerId)
			.forEach((request) -> request.answer()
				.completeExceptionally(new IllegalStateException("Worker " + workerId + " exited before it answered")));
	}

	/**
	 * Queues a frame for a worker, failing if it cannot.
	 */
	@FunctionalInterface
	interface Sender {

		void send(int workerId, ControlMessage message) throws Exception;

	}

	private record Pending(int workerId, CompletableFuture<JsonNode> answer) {

	}

}
