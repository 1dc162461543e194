package dev.bootcluster.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Kind;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerMeters}: workers' reports become meters of the primary's
 * registries, tagged with the worker, read fresh, and gone with the worker.
 */
class WorkerMetersTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final WorkerMeters meters = new WorkerMeters("worker", false);

	WorkerMetersTests() {
		this.meters.bindTo(this.registry);
	}

	@Test
	void eachKindKeepsItsShapeAndIsTaggedWithItsWorker() {
		this.meters.received(1, round(counter("orders.placed", 5), timer("http.server.requests", 4, 0.5),
				sample("jvm.threads.live", Kind.GAUGE, 21), sample("jvm.gc.pause.last", Kind.TIME_GAUGE, 0.25),
				sample("payload.size", Kind.SUMMARY, 3, 300, 150),
				sample("http.server.requests.active", Kind.LONG_TASK_TIMER, 2, 1.5)));
		assertThat(this.registry.get("orders.placed").tag("worker", "1").functionCounter().count()).isEqualTo(5);
		FunctionTimer timer = this.registry.get("http.server.requests").tags("uri", "/quotes", "worker", "1")
			.functionTimer();
		assertThat(timer.count()).isEqualTo(4);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
		assertThat(this.registry.get("jvm.threads.live").tag("worker", "1").gauge().value()).isEqualTo(21);
		assertThat(this.registry.get("jvm.gc.pause.last").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(250);
		Meter summary = this.registry.get("payload.size").meter();
		assertThat(summary.getId().getType()).isEqualTo(Meter.Type.DISTRIBUTION_SUMMARY);
		assertThat(summary.measure()).extracting((m) -> m.getStatistic() + "=" + m.getValue())
			.containsExactly("COUNT=3.0", "TOTAL=300.0", "MAX=150.0");
		assertThat(this.registry.get("http.server.requests.active").functionTimer().count()).isEqualTo(2);
	}

	@Test
	void metersReadTheLatestValuesReportedAndAMeterReportedGoneGoes() {
		this.meters.received(1, round(counter("orders.placed", 5), counter("orders.cancelled", 1)));
		this.meters.received(1, new ControlMessage.Meters(List.of(counter("orders.placed", 8)),
				List.of(new ControlMessage.Meters.Gone("orders.cancelled", Kind.COUNTER, List.of("uri", "/quotes")))));
		assertThat(this.registry.get("orders.placed").functionCounter().count()).isEqualTo(8);
		assertThat(this.registry.find("orders.cancelled").meters()).isEmpty();
		this.meters.received(1, round());
		assertThat(this.registry.get("orders.placed").functionCounter().count()).as("not reported: unchanged")
			.isEqualTo(8);
	}

	@Test
	void aClosedWorkerTakesItsMeters() {
		this.meters.received(1, round(counter("orders.placed", 5)));
		this.meters.received(2, round(counter("orders.placed", 7)));
		this.meters.closed(1);
		assertThat(this.registry.find("orders.placed").meters()).extracting((m) -> m.getId().getTag("worker"))
			.containsExactly("2");
		SimpleMeterRegistry later = new SimpleMeterRegistry();
		this.meters.bindTo(later);
		assertThat(later.find("orders.placed").tag("worker", "1").meters()).isEmpty();
	}

	@Test
	void aRegistryBoundLaterGetsTheMetersAlreadyReported() {
		this.meters.received(1, round(counter("orders.placed", 5)));
		SimpleMeterRegistry later = new SimpleMeterRegistry();
		this.meters.bindTo(later);
		assertThat(later.get("orders.placed").tag("worker", "1").functionCounter().count()).isEqualTo(5);
	}

	@Test
	void sumsOverWorkersNeverGoBackwardsWhenAWorkerIsReplaced() {
		WorkerMeters summed = new WorkerMeters("instance", true);
		MeterRegistry registry = new SimpleMeterRegistry();
		summed.bindTo(registry);
		summed.received(1, round(counter("orders.placed", 5), timer("http.server.requests", 4, 0.5),
				sample("jvm.threads.live", Kind.GAUGE, 21)));
		summed.received(2, round(counter("orders.placed", 7), timer("http.server.requests", 6, 1.5)));
		assertThat(registry.get("orders.placed").tag("instance", WorkerMeters.ALL_WORKERS).functionCounter().count())
			.isEqualTo(12);
		summed.closed(1);
		summed.received(3, round(counter("orders.placed", 1)));
		assertThat(registry.get("orders.placed").tag("instance", "all").functionCounter().count()).isEqualTo(13);
		FunctionTimer requests = registry.get("http.server.requests").tag("instance", "all").functionTimer();
		assertThat(requests.count()).isEqualTo(10);
		assertThat(requests.totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
		assertThat(registry.find("jvm.threads.live").tag("instance", "all").meters()).as("gauges are not summed")
			.isEmpty();
	}

	@Test
	void prometheusScrapesWorkersTimersBesideThePrimarysOwnHistogram() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		prometheus.config().meterFilter(new PrimaryMeterFilter("worker"));
		this.meters.bindTo(prometheus);
		Timer own = Timer.builder("http.server.requests").tag("uri", "/quotes").publishPercentileHistogram()
			.register(prometheus);
		own.record(20, TimeUnit.MILLISECONDS);
		this.meters.received(1, round(timer("http.server.requests", 4, 0.5), counter("orders.placed", 5)));
		this.meters.received(2, round(timer("http.server.requests", 6, 1.5)));
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("http_server_requests_seconds_count{uri=\"/quotes\",worker=\"1\"} 4")
			.contains("http_server_requests_seconds_sum{uri=\"/quotes\",worker=\"2\"} 1.5")
			.contains("http_server_requests_seconds_count{uri=\"/quotes\",worker=\"primary\"} 1")
			.as("the primary's own timer keeps no histogram").doesNotContain("_bucket");
		assertThat(scrape).contains("orders_placed_total{uri=\"/quotes\",worker=\"1\"} 5.0");
		this.meters.closed(1);
		assertThat(prometheus.scrape()).doesNotContain("worker=\"1\"");
	}

	private static ControlMessage.Meters round(Sample... samples) {
		return new ControlMessage.Meters(List.of(samples), List.of());
	}

	private static Sample counter(String name, double count) {
		return sample(name, Kind.COUNTER, count);
	}

	private static Sample timer(String name, long count, double totalSeconds) {
		return sample(name, Kind.TIMER, count, totalSeconds);
	}

	private static Sample sample(String name, Kind kind, double... values) {
		return new Sample(name, kind, List.of("uri", "/quotes"), null, null, values,
				(kind == Kind.OTHER) ? List.of(Statistic.VALUE.name()) : List.of());
	}

}
