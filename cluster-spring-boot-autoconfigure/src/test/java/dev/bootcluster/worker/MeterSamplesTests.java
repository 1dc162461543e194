package dev.bootcluster.worker;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MeterSamples}: what a worker reports of each kind of meter, and in how
 * many frames.
 */
class MeterSamplesTests {

	private final MockClock clock = new MockClock();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

	@Test
	void eachKindIsReportedWithItsValuesAndTimesInSeconds() {
		Counter.builder("orders").tag("shop", "north").description("Orders placed").register(this.registry)
			.increment(3);
		FunctionCounter.builder("pages", this, (test) -> 7).register(this.registry);
		Timer.builder("calls").register(this.registry).record(250, TimeUnit.MILLISECONDS);
		DistributionSummary.builder("sizes").baseUnit("bytes").register(this.registry).record(100);
		Gauge.builder("queue", () -> 4).register(this.registry);
		TimeGauge.builder("lag", () -> 1500, TimeUnit.MILLISECONDS).register(this.registry);
		LongTaskTimer.builder("jobs").register(this.registry).start();
		this.clock.add(2, TimeUnit.SECONDS);
		Meter.builder("custom", Meter.Type.OTHER, List.of(new Measurement(() -> 9, Statistic.VALUE)))
			.register(this.registry);
		List<ControlMessage.Meters> frames = MeterSamples.of(this.registry);
		assertThat(frames).hasSize(1);
		assertThat(frames.get(0).last()).isTrue();
		assertThat(frames.get(0).meters()).extracting(MeterSamplesTests::describe)
			.containsExactlyInAnyOrder("orders COUNTER [shop, north] [3.0] Orders placed", "pages COUNTER [] [7.0] null",
					"calls TIMER [] [1.0, 0.25] null", "sizes SUMMARY [] [1.0, 100.0, 100.0] null",
					"queue GAUGE [] [4.0] null", "lag TIME_GAUGE [] [1.5] null", "jobs LONG_TASK_TIMER [] [1.0, 2.0] null",
					"custom OTHER [] [9.0] null");
		assertThat(sample("custom").statistics()).containsExactly("VALUE");
		assertThat(sample("sizes").baseUnit()).isEqualTo("bytes");
	}

	@Test
	void manyMetersComeInSeveralFramesOnlyTheLastMarked() {
		for (int i = 0; i < 2500; i++) {
			Counter.builder("orders").tag("n", Integer.toString(i)).register(this.registry);
		}
		List<ControlMessage.Meters> frames = MeterSamples.of(this.registry);
		assertThat(frames).extracting((frame) -> frame.meters().size()).containsExactly(1000, 1000, 500);
		assertThat(frames).extracting(ControlMessage.Meters::last).containsExactly(false, false, true);
	}

	@Test
	void longTagsMakeSmallerFramesAndNoMetersOneEmptyLastFrame() {
		String longValue = "v".repeat(10_000);
		for (int i = 0; i < 40; i++) {
			Counter.builder("orders").tag("n", i + longValue).register(this.registry);
		}
		List<ControlMessage.Meters> frames = MeterSamples.of(this.registry);
		assertThat(frames).hasSizeGreaterThan(1)
			.allSatisfy((frame) -> assertThat(frame.meters().size() * 10_000L).isLessThanOrEqualTo(
					MeterSamples.MAX_FRAME_CHARS));
		assertThat(MeterSamples.of(new SimpleMeterRegistry())).singleElement()
			.satisfies((frame) -> assertThat(frame.meters()).isEmpty())
			.satisfies((frame) -> assertThat(frame.last()).isTrue());
	}

	private Sample sample(String name) {
		return MeterSamples.sample(this.registry.get(name).meter());
	}

	private static String describe(Sample sample) {
		return sample.name() + " " + sample.kind() + " " + sample.tags() + " "
				+ Arrays.toString(sample.values()) + " " + sample.description();
	}

}
