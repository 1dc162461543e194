package dev.bootcluster.actuate;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.PrimaryUnreachableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
	void aChannelThatFailsIsAnUnreachablePrimary() {
		CompletableFuture<String> answer = CompletableFuture.failedFuture(new IOException("channel closed"));
		assertThatExceptionOfType(PrimaryUnreachableException.class)
			.isThrownBy(() -> PrimaryAnswer.await(answer, Duration.ofSeconds(1)))
			.withMessage("The primary did not answer: channel closed")
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
