package dev.bootcluster.primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RestartPolicy}, on a clock the test moves.
 */
class RestartPolicyTests {

	private final MutableClock clock = new MutableClock();

	private final RestartPolicy policy = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
			Duration.ofSeconds(10), 8, this.clock);

	@Test
	void delayDoublesWhileASlotKeepsFailingAndIsCapped() {
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofMillis(100));
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofMillis(200));
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofMillis(400));
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofMillis(800));
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(quickFailure(1).delay()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void slotsBackOffIndependently() {
		quickFailure(1);
		quickFailure(1);
		assertThat(quickFailure(2).delay()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aWorkerThatRanTheMinimumUptimeStartsTheCountOver() {
		for (int i = 0; i < 7; i++) {
			quickFailure(1);
		}
		Instant started = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(10));
		RestartPolicy.Decision decision = this.policy.failed(1, started);
		assertThat(decision.quickFailures()).isEqualTo(1);
		assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void maxRestartsQuickFailuresInARowAreACrashLoop() {
		for (int i = 1; i < 8; i++) {
			RestartPolicy.Decision decision = quickFailure(1);
			assertThat(decision.isCrashLoop()).isFalse();
			assertThat(decision.quickFailures()).isEqualTo(i);
		}
		RestartPolicy.Decision eighth = quickFailure(1);
		assertThat(eighth.isCrashLoop()).isTrue();
		assertThat(eighth.delay()).isNull();
	}

	@Test
	void aFailureJustUnderTheMinimumUptimeStillCounts() {
		for (int i = 0; i < 7; i++) {
			quickFailure(1);
		}
		Instant started = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(10).minusMillis(1));
		assertThat(this.policy.failed(1, started).isCrashLoop()).isTrue();
	}

	@Test
	void resetForgetsTheSlotsFailures() {
		for (int i = 0; i < 7; i++) {
			quickFailure(1);
		}
		this.policy.reset(1);
		RestartPolicy.Decision decision = quickFailure(1);
		assertThat(decision.quickFailures()).isEqualTo(1);
		assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
	}

	private RestartPolicy.Decision quickFailure(int slot) {
		Instant started = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(1));
		return this.policy.failed(slot, started);
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-27T12:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
