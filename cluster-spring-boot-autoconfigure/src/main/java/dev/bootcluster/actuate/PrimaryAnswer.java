package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.PrimaryUnreachableException;

/**
 * Waits, for a bounded time, for the primary's answer to an operation: in a worker it
 * comes over the control channel.
 */
final class PrimaryAnswer {

	private PrimaryAnswer() {
	}

	/**
	 * Waits for the answer.
	 * @throws RuntimeException the operation's own failure, such as an
	 * {@link IllegalArgumentException} for a refused one, or a
	 * {@link PrimaryUnreachableException} for a worker's closed channel
	 * @throws PrimaryUnreachableException if the answer does not come in time
	 */
	static <T> T await(CompletableFuture<T> answer, Duration timeout) {
		try {
			return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("The primary did not answer: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new PrimaryUnreachableException("The primary did not answer within " + timeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the primary", ex);
		}
	}

}
