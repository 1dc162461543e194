package dev.bootcluster.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrimarySilence}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrimarySilenceTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final AtomicBoolean heldBack = new AtomicBoolean();

	private final PrimarySilence silence = new PrimarySilence(Duration.ofSeconds(3), this.now::get,
			this.heldBack::get);

	@Test
	void aPrimaryHeardWithinTheTimeoutIsNotSilent() {
		advance(Duration.ofSeconds(3));
		assertThat(this.silence.silence()).isEmpty();
		this.silence.heard();
		advance(Duration.ofMillis(2900));
		assertThat(this.silence.silence()).isEmpty();
	}

	@Test
	void aPrimaryUnheardForLongerThanTheTimeoutIsSilentUntilHeardAgain() {
		advance(Duration.ofMillis(3200));
		assertThat(this.silence.silence()).contains(Duration.ofMillis(3200));
		advance(Duration.ofSeconds(1));
		assertThat(this.silence.silence()).contains(Duration.ofMillis(4200));
		this.silence.heard();
		assertThat(this.silence.silence()).isEmpty();
	}

	@Test
	void whileThisWorkerHoldsThePrimarysFramesBackThePrimaryCountsAsHeard() {
		this.heldBack.set(true);
		advance(Duration.ofSeconds(10));
		assertThat(this.silence.silence()).isEmpty();
		this.heldBack.set(false);
		advance(Duration.ofMillis(2900));
		assertThat(this.silence.silence()).as("counted from when it was last held back").isEmpty();
		advance(Duration.ofMillis(200));
		assertThat(this.silence.silence()).contains(Duration.ofMillis(3100));
	}

	@Test
	void theSilenceIsCountedFromTheStart() {
		advance(Duration.ofSeconds(4));
		assertThat(this.silence.silence()).contains(Duration.ofSeconds(4));
	}

	@Test
	void theSilenceIsLoggedOnceAndSoIsTheReturn(CapturedOutput output) {
		advance(Duration.ofSeconds(2));
		this.silence.check();
		assertThat(output).doesNotContain("has not been heard");
		advance(Duration.ofSeconds(2));
		this.silence.check();
		advance(Duration.ofSeconds(2));
		this.silence.check();
		assertThat(output.toString().lines().filter((line) -> line.contains("has not been heard"))).singleElement()
			.asString()
			.contains("WARN")
			.contains("The primary has not been heard for 4000 ms (cluster.worker.heartbeat-timeout is 3000 ms)");
		this.silence.heard();
		this.silence.heard();
		assertThat(output.toString().lines().filter((line) -> line.contains("The primary is heard again")))
			.singleElement()
			.asString()
			.contains("INFO");
		advance(Duration.ofSeconds(4));
		this.silence.check();
		assertThat(output.toString().lines().filter((line) -> line.contains("has not been heard"))).hasSize(2);
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
