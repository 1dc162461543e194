package dev.bootcluster.supervision;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RestartPolicy}.
 */
class RestartPolicyTests {

	private static final Duration MIN_UPTIME = Duration.ofSeconds(10);

	private final RestartPolicy policy = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), MIN_UPTIME,
			8);

	@Test
	void delayDoublesWhileASlotKeepsFailingAndIsCapped() {
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofMillis(100));
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofMillis(200));
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofMillis(400));
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofMillis(800));
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(bootFailure(1).delay()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void slotsBackOffIndependently() {
		bootFailure(1);
		bootFailure(1);
		assertThat(bootFailure(2).delay()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aWorkerReadyForTheMinimumUptimeStartsTheCountOver() {
		for (int i = 0; i < 7; i++) {
			bootFailure(1);
		}
		RestartPolicy.Decision decision = this.policy.failed(1, MIN_UPTIME);
		assertThat(decision.quickFailures()).isEqualTo(1);
		assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void maxRestartsMeansThatManyRespawnsThenACrashLoop() {
		for (int i = 1; i <= 8; i++) {
			RestartPolicy.Decision decision = bootFailure(1);
			assertThat(decision.isCrashLoop()).as("failure %d gets respawn %d", i, i).isFalse();
			assertThat(decision.quickFailures()).isEqualTo(i);
		}
		RestartPolicy.Decision ninth = bootFailure(1);
		assertThat(ninth.isCrashLoop()).isTrue();
		assertThat(ninth.delay()).isNull();
	}

	@Test
	void aWorkerThatFailsBeforeItIsReadyIsABootFailureHoweverLongItsBootTook() {
		for (int i = 0; i < 8; i++) {
			bootFailure(1);
		}
		assertThat(this.policy.failed(1, Duration.ZERO).isCrashLoop())
			.as("a boot of any length that never got ready counts")
			.isTrue();
	}

	@Test
	void aFailureJustUnderTheMinimumUptimeReadyStillCounts() {
		for (int i = 0; i < 8; i++) {
			bootFailure(1);
		}
		assertThat(this.policy.failed(1, MIN_UPTIME.minusMillis(1)).isCrashLoop()).isTrue();
	}

	@Test
	void resetForgetsTheSlotsFailures() {
		for (int i = 0; i < 7; i++) {
			bootFailure(1);
		}
		this.policy.reset(1);
		RestartPolicy.Decision decision = bootFailure(1);
		assertThat(decision.quickFailures()).isEqualTo(1);
		assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
	}

	private RestartPolicy.Decision bootFailure(int slot) {
		return this.policy.failed(slot, Duration.ZERO);
	}

}
