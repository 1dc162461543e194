package dev.bootcluster.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterAvailability}.
 */
class ClusterAvailabilityTests {

	private final AtomicBoolean available = new AtomicBoolean(true);

	private final AtomicBoolean failed = new AtomicBoolean();

	private final ClusterAvailability availability = new ClusterAvailability(this.available::get, this.failed::get,
			new StaticApplicationContext());

	@Test
	void readinessFollowsTheClusterUnlessTheApplicationRefusesTraffic() {
		accept(ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		this.available.set(false);
		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		this.available.set(true);
		accept(ReadinessState.REFUSING_TRAFFIC);
		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
	}

	@Test
	void livenessIsBrokenOnceThePrimarysMachineryHasFailedSoThatAProbeRestartsIt() {
		accept(LivenessState.CORRECT);
		assertThat(this.availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		this.available.set(false);
		assertThat(this.availability.getLivenessState()).as("a cluster below min-ready is alive")
			.isEqualTo(LivenessState.CORRECT);
		this.failed.set(true);
		assertThat(this.availability.getLivenessState()).isEqualTo(LivenessState.BROKEN);
	}

	private void accept(AvailabilityState state) {
		this.availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, state));
	}

}
