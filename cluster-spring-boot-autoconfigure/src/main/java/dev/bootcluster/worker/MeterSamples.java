package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Kind;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * This worker's meters as the primary takes them: each meter's identity and its values
 * now, a timer's in seconds, in frames of at most {@link ControlMessage.Meters#MAX_PER_FRAME}
 * meters and well within the frame limit. Histogram buckets and percentiles stay in the
 * worker.
 */
public final class MeterSamples {

	/**
	 * The most characters of samples in one frame: a sixth of the frame limit, so that
	 * even text whose every character JSON escapes into six fits.
	 */
	static final long MAX_FRAME_CHARS = 160 * 1024;

	private MeterSamples() {
	}

	/**
	 * Samples every meter of a registry.
	 * @param registry the worker's registry
	 * @return the frames of one round, the last one marked
	 */
	public static List<ControlMessage.Meters> of(MeterRegistry registry) {
		List<ControlMessage.Meters> frames = new ArrayList<>();
		List<Sample> frame = new ArrayList<>();
		long frameChars = 0;
		for (Meter meter : registry.getMeters()) {
			Sample sample = sample(meter);
			long chars = chars(sample);
			if (!frame.isEmpty() && (frame.size() == ControlMessage.Meters.MAX_PER_FRAME
					|| frameChars + chars > MAX_FRAME_CHARS)) {
				frames.add(new ControlMessage.Meters(frame, false));
				frame = new ArrayList<>();
				frameChars = 0;
			}
			frame.add(sample);
			frameChars += chars;
		}
		frames.add(new ControlMessage.Meters(frame, true));
		return frames;
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

	private static List<String> statistics(Meter meter) {
		return StreamSupport.stream(meter.measure().spliterator(), false)
			.map((measurement) -> measurement.getStatistic().name())
			.toList();
	}

	private static double[] measurements(Meter meter) {
		return StreamSupport.stream(meter.measure().spliterator(), false).mapToDouble(Measurement::getValue).toArray();
	}

}
