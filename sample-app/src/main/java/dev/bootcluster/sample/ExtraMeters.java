package dev.bootcluster.sample;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code sample.extra-meters=N} gives each JVM N more meters ({@code sample.extra{n}}), so
 * that the bench can scrape workers with as many series as a large application has:
 * counters that stand still, or with {@code sample.extra-meters-change=true} gauges whose
 * value changes at every read.
 */
@Component
@ConditionalOnProperty("sample.extra-meters")
class ExtraMeters implements MeterBinder {

	private final int count;

	private final boolean changing;

	ExtraMeters(Environment environment) {
		this.count = environment.getRequiredProperty("sample.extra-meters", Integer.class);
		this.changing = environment.getProperty("sample.extra-meters-change", Boolean.class, false);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (int i = 0; i < this.count; i++) {
			String n = Integer.toString(i);
			if (this.changing) {
				Gauge.builder("sample.extra", System::nanoTime).tag("n", n).register(registry);
			}
			else {
				Counter.builder("sample.extra").tag("n", n).register(registry).increment(i);
			}
		}
	}

}
