package dev.bootcluster.actuate;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.PrimaryUnreachableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link PrimaryAnswer}.
 */
class PrimaryAnswerTests {

	@Test
	void anAnswerThatComesIsReturned() {
		assertThat(PrimaryAnswer.await(CompletableFuture.completedFuture("state"), Duration.ofSeconds(1)))
			.isEqualTo("state");
	}

	@Test
	void anAnswerThatDoesNotComeInTimeIsAnUnreachablePrimary() {
		assertThatExceptionOfType(PrimaryUnreachableException.class)
			.isThrownBy(() -> PrimaryAnswer.await(new CompletableFuture<>(), Duration.ofMillis(50)))
			.withMessage("The primary did not answer within 50 ms");
	}

	@Test
	void aWorkersClosedChannelIsThrownAsItIs() {
		CompletableFuture<String> answer = CompletableFuture.failedFuture(
				new PrimaryUnreachableException("The primary did not answer 'state': the control channel is closed",
						new IOException("closed")));
		assertThatExceptionOfType(PrimaryUnreachableException.class)
			.isThrownBy(() -> PrimaryAnswer.await(answer, Duration.ofSeconds(1)))
			.withMessage("The primary did not answer 'state': the control channel is closed");
	}

	@Test
	void anotherFailureThatIsNoRuntimeExceptionSaysSo() {
		CompletableFuture<String> answer = CompletableFuture.failedFuture(new IOException("Worker 1 did not answer"));
		assertThatIllegalStateException().isThrownBy(() -> PrimaryAnswer.await(answer, Duration.ofSeconds(1)))
			.withMessage("The primary did not answer: Worker 1 did not answer")
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void theOperationsOwnFailureIsThrownAsItIs() {
		CompletableFuture<String> answer = CompletableFuture
			.failedFuture(new IllegalArgumentException("Cannot scale to 0 worker(s)"));
		assertThatIllegalArgumentException().isThrownBy(() -> PrimaryAnswer.await(answer, Duration.ofSeconds(1)))
			.withMessage("Cannot scale to 0 worker(s)");
	}

}
