package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Gone;
import dev.bootcluster.ipc.ControlMessage.Meters.Kind;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * A worker's meters as the primary takes them, from a Micrometer registry: each meter's
 * identity and its values, a timer's in seconds, reported when new or changed since the
 * last report, in frames of at most {@link ControlMessage.Meters#MAX_PER_FRAME} meters
 * and well within the frame limit. Histogram buckets and percentiles stay in the worker.
 * Called by the heartbeat thread only.
 */
public final class RegistryMeterReports implements ClusterWorker.MeterReports {

	/**
	 * The most characters of samples in one frame: a sixth of the frame limit, so that
	 * even text whose every character JSON escapes into six fits.
	 */
	static final long MAX_FRAME_CHARS = 160 * 1024;

	private static final Log logger = LogFactory.getLog(RegistryMeterReports.class);

	private final MeterRegistry registry;

	private final Map<Gone, double[]> reported = new HashMap<>();

	/**
	 * Reports the meters of a registry.
	 * @param registry the worker's registry
	 */
	public RegistryMeterReports(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public List<ControlMessage.Meters> next() {
		List<ControlMessage.Meters> frames = new ArrayList<>();
		List<Sample> frame = new ArrayList<>();
		long frameChars = 0;
		Set<Gone> present = new HashSet<>();
		for (Meter meter : this.registry.getMeters()) {
			Sample sample = sampleOrNull(meter);
			if (sample == null) {
				continue; // this meter fails when read: the others are still reported
			}
			Gone key = new Gone(sample.name(), sample.kind(), sample.tags());
			present.add(key);
			if (Arrays.equals(this.reported.put(key, sample.values()), sample.values())) {
				continue; // the primary has these values
			}
			long chars = chars(sample);
			if (!frame.isEmpty() && (frame.size() == ControlMessage.Meters.MAX_PER_FRAME
					|| frameChars + chars > MAX_FRAME_CHARS)) {
				frames.add(new ControlMessage.Meters(frame, List.of()));
				frame = new ArrayList<>();
				frameChars = 0;
			}
			frame.add(sample);
			frameChars += chars;
		}
		List<Gone> gone = new ArrayList<>(this.reported.keySet());
		gone.removeAll(present);
		gone.forEach(this.reported::remove);
		if (!frame.isEmpty() || !gone.isEmpty()) {
			frames.add(new ControlMessage.Meters(frame, gone));
		}
		return frames;
	}

	@Override
	public void missed() {
		this.reported.clear();
	}

	/**
	 * About how many characters a sample takes in JSON, short of escapes.
	 */
	private static long chars(Sample sample) {
		long chars = 64 + sample.name().length() + 24L * sample.values().length;
		chars += (sample.description() != null) ? sample.description().length() : 0;
		for (String tag : sample.tags()) {
			chars += tag.length() + 3;
		}
		return chars;
	}

	private static @Nullable Sample sampleOrNull(Meter meter) {
		try {
			return sample(meter);
		}
		catch (RuntimeException ex) {
			logger.debug(LogMessage.format("Not reporting meter %s: reading it failed", meter.getId()), ex);
			return null;
		}
	}

	static Sample sample(Meter meter) {
		Meter.Id id = meter.getId();
		List<String> tags = new ArrayList<>();
		for (Tag tag : id.getTagsAsIterable()) {
			tags.add(tag.getKey());
			tags.add(tag.getValue());
		}
		return meter.match((gauge) -> sample(id, Kind.GAUGE, tags, gauge.value()),
				(counter) -> sample(id, Kind.COUNTER, tags, counter.count()),
				(timer) -> sample(id, Kind.TIMER, tags, timer.count(), timer.totalTime(TimeUnit.SECONDS)),
				(summary) -> sample(id, Kind.SUMMARY, tags, summary.count(), summary.totalAmount(), summary.max()),
				(task) -> sample(id, Kind.LONG_TASK_TIMER, tags, task.activeTasks(), task.duration(TimeUnit.SECONDS)),
				(timeGauge) -> sample(id, Kind.TIME_GAUGE, tags, timeGauge.value(TimeUnit.SECONDS)),
				(counter) -> sample(id, Kind.COUNTER, tags, counter.count()),
				(timer) -> sample(id, Kind.TIMER, tags, timer.count(), timer.totalTime(TimeUnit.SECONDS)),
				(other) -> new Sample(id.getName(), Kind.OTHER, tags, id.getBaseUnit(), id.getDescription(),
						measurements(other), statistics(other)));
	}

	private static Sample sample(Meter.Id id, Kind kind, List<String> tags, double... values) {
		return new Sample(id.getName(), kind, tags, id.getBaseUnit(), id.getDescription(), values, List.of());
	}

	private static double[] measurements(Meter meter) {
		return StreamSupport.stream(meter.measure().spliterator(), false).mapToDouble(Measurement::getValue).toArray();
	}

	private static List<String> statistics(Meter meter) {
		return StreamSupport.stream(meter.measure().spliterator(), false)
			.map((measurement) -> measurement.getStatistic().name())
			.toList();
	}

}
