package dev.bootcluster.worker;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

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
 * Tests for {@link RegistryMeterReports}: what a worker reports of each kind of meter,
 * when, and in how many frames.
 */
class RegistryMeterReportsTests {

	private final MockClock clock = new MockClock();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

	private final RegistryMeterReports reports = new RegistryMeterReports(this.registry);

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
		List<ControlMessage.Meters> frames = this.reports.next();
		assertThat(frames).hasSize(1);
		assertThat(frames.get(0).gone()).isEmpty();
		assertThat(frames.get(0).meters()).extracting(RegistryMeterReportsTests::describe)
			.containsExactlyInAnyOrder("orders COUNTER [shop, north] [3.0] Orders placed", "pages COUNTER [] [7.0] null",
					"calls TIMER [] [1.0, 0.25] null", "sizes SUMMARY [] [1.0, 100.0, 100.0] null",
					"queue GAUGE [] [4.0] null", "lag TIME_GAUGE [] [1.5] null", "jobs LONG_TASK_TIMER [] [1.0, 2.0] null",
					"custom OTHER [] [9.0] null");
		assertThat(sample("custom").statistics()).containsExactly("VALUE");
		assertThat(sample("sizes").baseUnit()).isEqualTo("bytes");
	}

	@Test
	void onlyWhatChangedIsReportedAgainAndARemovedMeterIsReportedGone() {
		Counter orders = Counter.builder("orders").register(this.registry);
		Counter.builder("refunds").register(this.registry);
		Gauge.builder("unknown", () -> Double.NaN).register(this.registry);
		assertThat(this.reports.next()).singleElement()
			.satisfies((frame) -> assertThat(frame.meters()).hasSize(3));
		assertThat(this.reports.next()).as("nothing changed, NaN neither").isEmpty();
		orders.increment();
		this.registry.remove(this.registry.get("refunds").meter());
		assertThat(this.reports.next()).singleElement().satisfies((frame) -> {
			assertThat(frame.meters()).extracting(Sample::name).containsExactly("orders");
			assertThat(frame.gone()).containsExactly(new ControlMessage.Meters.Gone("refunds",
					ControlMessage.Meters.Kind.COUNTER, List.of()));
		});
		this.reports.missed();
		assertThat(this.reports.next()).as("after a report that did not reach the primary, all again")
			.singleElement()
			.satisfies((frame) -> assertThat(frame.meters()).extracting(Sample::name)
				.containsExactlyInAnyOrder("orders", "unknown"));
	}

	@Test
	void aMeterThatFailsWhenReadIsLeftOutAndTheOthersAreReported() {
		Counter.builder("orders").register(this.registry).increment();
		DoubleSupplier unreadable = () -> {
			throw new IllegalStateException("unreadable");
		};
		Meter.builder("broken", Meter.Type.OTHER, List.of(new Measurement(unreadable, Statistic.VALUE)))
			.register(this.registry);
		assertThat(this.reports.next()).singleElement()
			.satisfies((frame) -> assertThat(frame.meters()).extracting(Sample::name).containsExactly("orders"));
	}

	@Test
	void manyMetersComeInSeveralFrames() {
		for (int i = 0; i < 2500; i++) {
			Counter.builder("orders").tag("n", Integer.toString(i)).register(this.registry);
		}
		assertThat(this.reports.next()).extracting((frame) -> frame.meters().size()).containsExactly(1000, 1000, 500);
	}

	@Test
	void longTagsMakeSmallerFrames() {
		String longValue = "v".repeat(10_000);
		for (int i = 0; i < 40; i++) {
			Counter.builder("orders").tag("n", i + longValue).register(this.registry);
		}
		assertThat(this.reports.next()).hasSizeGreaterThan(1)
			.allSatisfy((frame) -> assertThat(frame.meters().size() * 10_000L)
				.isLessThanOrEqualTo(RegistryMeterReports.MAX_FRAME_CHARS));
	}

	private Sample sample(String name) {
		return RegistryMeterReports.sample(this.registry.get(name).meter());
	}

	private static String describe(Sample sample) {
		return sample.name() + " " + sample.kind() + " " + sample.tags() + " "
				+ Arrays.toString(sample.values()) + " " + sample.description();
	}

}
