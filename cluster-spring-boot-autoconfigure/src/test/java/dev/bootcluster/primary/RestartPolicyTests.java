package dev.bootcluster.primary;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTests {

	private final RestartPolicy policy = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
			Duration.ofSeconds(10));

	@Test
	void delayDoublesWhileASlotKeepsCrashingAndIsCapped() {
		Duration quick = Duration.ofSeconds(1);
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofMillis(100));
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofMillis(400));
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofMillis(800));
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.policy.delayAfterExit(1, quick)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void slotsBackOffIndependently() {
		Duration quick = Duration.ofSeconds(1);
		this.policy.delayAfterExit(1, quick);
		this.policy.delayAfterExit(1, quick);
		assertThat(this.policy.delayAfterExit(2, quick)).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aWorkerThatRanTheMinimumUptimeStartsTheBackoffOver() {
		Duration quick = Duration.ofSeconds(1);
		this.policy.delayAfterExit(1, quick);
		this.policy.delayAfterExit(1, quick);
		assertThat(this.policy.delayAfterExit(1, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
	}

}
