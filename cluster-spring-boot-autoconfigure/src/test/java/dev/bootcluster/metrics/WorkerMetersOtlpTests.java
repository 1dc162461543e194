package dev.bootcluster.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Kind;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerMeters} exported over OTLP from the primary: each worker's
 * series reach the collector with the worker as an attribute.
 */
class WorkerMetersOtlpTests {

	private final BlockingQueue<byte[]> exports = new ArrayBlockingQueue<>(8);

	private final HttpServer collector;

	WorkerMetersOtlpTests() throws IOException {
		this.collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.collector.createContext("/v1/metrics", (exchange) -> {
			this.exports.add(exchange.getRequestBody().readAllBytes());
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.collector.start();
	}

	@AfterEach
	void stop() {
		this.collector.stop(0);
	}

	@Test
	void eachWorkersSeriesReachTheCollectorTaggedWithTheWorker() throws Exception {
		String url = "http://127.0.0.1:" + this.collector.getAddress().getPort() + "/v1/metrics";
		OtlpConfig config = (key) -> key.equals("otlp.url") ? url : null;
		OtlpMeterRegistry registry = new OtlpMeterRegistry(config, Clock.SYSTEM);
		WorkerMeters meters = new WorkerMeters("worker", false);
		meters.bindTo(registry);
		for (int worker = 1; worker <= 2; worker++) {
			meters.received(worker, new ControlMessage.Meters(List.of(
					new Sample("http.server.requests", Kind.TIMER, List.of("uri", "/quotes"), null, null,
							new double[] { 4 * worker, 0.5 }, List.of()),
					new Sample("orders.placed", Kind.COUNTER, List.of(), null, null, new double[] { 5 }, List.of())),
					List.of()));
		}
		registry.close(); // publishes once more
		byte[] body = this.exports.poll(10, TimeUnit.SECONDS);
		assertThat(body).isNotNull();
		ExportMetricsServiceRequest export = ExportMetricsServiceRequest.parseFrom(body);
		List<Metric> metrics = export.getResourceMetricsList()
			.stream()
			.flatMap((resource) -> resource.getScopeMetricsList().stream())
			.flatMap((scope) -> scope.getMetricsList().stream())
			.toList();
		assertThat(metrics).extracting(Metric::getName).contains("http.server.requests", "orders.placed");
		Metric requests = metrics.stream().filter((m) -> m.getName().equals("http.server.requests")).findFirst()
			.orElseThrow();
		assertThat(requests.getHistogram().getDataPointsList()).extracting(
				(point) -> worker(point.getAttributesList()) + ":" + point.getCount())
			.containsExactlyInAnyOrder("1:4", "2:8");
	}

	private static String worker(List<KeyValue> attributes) {
		return attributes.stream().filter((a) -> a.getKey().equals("worker")).findFirst().orElseThrow()
			.getValue().getStringValue();
	}

}
