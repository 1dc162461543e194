package dev.bootcluster.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Meters.Sample;
import dev.bootcluster.ipc.WorkerMetersListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Every live worker's meters in the primary's registries, each tagged with the worker's
 * id, so that one scrape of the primary shows the whole cluster. After each heartbeat a
 * worker reports its meters that are new or changed, and those gone; the meters here
 * read the latest values reported, and go with the worker when its control channel
 * closes. A counter or timer keeps its kind (a timer's
 * count and total time; its histogram stays in the worker). With {@code aggregate},
 * counters and timers are also offered summed over the workers, tagged
 * {@value #ALL_WORKERS}: what exited workers had counted stays in the sum, so it never
 * goes backwards when a worker is replaced.
 */
public class WorkerMeters implements MeterBinder, WorkerMetersListener {

	/** The worker tag's value on the sums over all workers. */
	public static final String ALL_WORKERS = "all";

	private final String workerTag;

	private final boolean aggregate;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Map<Integer, WorkerEntry> workers = new ConcurrentHashMap<>();

	private final Map<MeterKey, Sum> sums = new ConcurrentHashMap<>();

	/**
	 * Creates the workers' meters.
	 * @param workerTag the tag that names each meter's worker
	 * @param aggregate whether to offer counters and timers summed over the workers too
	 */
	public WorkerMeters(String workerTag, boolean aggregate) {
		this.workerTag = workerTag;
		this.aggregate = aggregate;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		this.workers.forEach((id, worker) -> {
			synchronized (worker) {
				worker.meters.values().forEach((meter) -> meter.registerIn(registry));
			}
		});
		this.sums.values().forEach((sum) -> sum.registerIn(registry));
	}

	@Override
	public void received(int workerId, ControlMessage.Meters meters) {
		WorkerEntry worker = this.workers.computeIfAbsent(workerId, (id) -> new WorkerEntry(Integer.toString(id)));
		synchronized (worker) {
			for (Sample sample : meters.meters()) {
				MeterKey key = new MeterKey(sample.name(), sample.kind(), sample.tags());
				WorkerMeter meter = worker.meters.get(key);
				if (meter == null) {
					meter = new WorkerMeter(sample, Tags.of(tags(sample)).and(this.workerTag, worker.id));
					worker.meters.put(key, meter);
					for (MeterRegistry registry : this.registries) {
						meter.registerIn(registry);
					}
					Sum sum = sumOf(key, sample);
					if (sum != null) {
						sum.add(meter);
					}
				}
				meter.values = sample.values();
			}
			for (ControlMessage.Meters.Gone gone : meters.gone()) {
				MeterKey key = new MeterKey(gone.name(), gone.kind(), gone.tags());
				WorkerMeter meter = worker.meters.remove(key);
				if (meter != null) {
					remove(key, meter);
				}
			}
		}
	}

	@Override
	public void closed(int workerId) {
		WorkerEntry worker = this.workers.remove(workerId);
		if (worker != null) {
			synchronized (worker) {
				worker.meters.forEach(this::remove);
				worker.meters.clear();
			}
		}
	}

	private void remove(MeterKey key, WorkerMeter meter) {
		for (Meter registered : meter.registered) {
			this.registries.forEach((registry) -> registry.remove(registered));
		}
		Sum sum = this.sums.get(key.withoutTag(this.workerTag));
		if (sum != null) {
			sum.retire(meter);
		}
	}

	private @Nullable Sum sumOf(MeterKey key, Sample sample) {
		if (!this.aggregate || (sample.kind() != ControlMessage.Meters.Kind.COUNTER
				&& sample.kind() != ControlMessage.Meters.Kind.TIMER)) {
			return null;
		}
		return this.sums.computeIfAbsent(key.withoutTag(this.workerTag), (sumKey) -> {
			Sum sum = new Sum(new WorkerMeter(sample, Tags.of(tags(sample)).and(this.workerTag, ALL_WORKERS)));
			this.registries.forEach(sum::registerIn);
			return sum;
		});
	}

	private static String[] tags(Sample sample) {
		return sample.tags().toArray(String[]::new);
	}

	/**
	 * A meter's identity as a worker reports it.
	 */
	private record MeterKey(String name, ControlMessage.Meters.Kind kind, List<String> tags) {

		MeterKey withoutTag(String tag) {
			List<String> others = new ArrayList<>();
			for (int i = 0; i + 1 < this.tags.size(); i += 2) {
				if (!this.tags.get(i).equals(tag)) {
					others.add(this.tags.get(i));
					others.add(this.tags.get(i + 1));
				}
			}
			return new MeterKey(this.name, this.kind, others);
		}

	}

	/**
	 * One worker's meters, by their identity in the worker.
	 */
	private static final class WorkerEntry {

		final String id;

		final Map<MeterKey, WorkerMeter> meters = new HashMap<>();

		WorkerEntry(String id) {
			this.id = id;
		}

	}

	/**
	 * One worker meter in the primary: the latest values reported, read by the meters
	 * registered for it.
	 */
	private static final class WorkerMeter implements ValueSource {

		final Sample sample;

		final Tags tags;

		final List<Meter> registered = new CopyOnWriteArrayList<>();

		volatile double[] values;

		WorkerMeter(Sample sample, Tags tags) {
			this.sample = sample;
			this.tags = tags;
			this.values = sample.values();
		}

		@Override
		public double value(int index) {
			double[] current = this.values;
			return (index < current.length) ? current[index] : Double.NaN;
		}

		void registerIn(MeterRegistry registry) {
			this.registered.add(register(registry, this));
		}

		Meter register(MeterRegistry registry, ValueSource source) {
			String name = this.sample.name();
			String unit = this.sample.baseUnit();
			String description = this.sample.description();
			return switch (this.sample.kind()) {
				case GAUGE -> Gauge.builder(name, source, (s) -> s.value(0))
					.tags(this.tags).baseUnit(unit).description(description).strongReference(true).register(registry);
				case TIME_GAUGE -> TimeGauge.builder(name, source, TimeUnit.SECONDS, (s) -> s.value(0))
					.tags(this.tags).description(description).strongReference(true).register(registry);
				case COUNTER -> FunctionCounter.builder(name, source, (s) -> s.value(0))
					.tags(this.tags).baseUnit(unit).description(description).register(registry);
				case TIMER, LONG_TASK_TIMER -> FunctionTimer
					.builder(name, source, (s) -> (long) s.value(0), (s) -> s.value(1), TimeUnit.SECONDS)
					.tags(this.tags).description(description).register(registry);
				case SUMMARY -> Meter.builder(name, Meter.Type.DISTRIBUTION_SUMMARY,
						measurements(source, List.of(Statistic.COUNT, Statistic.TOTAL, Statistic.MAX)))
					.tags(this.tags).baseUnit(unit).description(description).register(registry);
				case OTHER -> Meter.builder(name, Meter.Type.OTHER, measurements(source,
						this.sample.statistics().stream().map(Statistic::valueOf).toList()))
					.tags(this.tags).baseUnit(unit).description(description).register(registry);
			};
		}

		private static List<Measurement> measurements(ValueSource source, List<Statistic> statistics) {
			List<Measurement> measurements = new ArrayList<>();
			for (int i = 0; i < statistics.size(); i++) {
				int index = i;
				measurements.add(new Measurement(() -> source.value(index), statistics.get(i)));
			}
			return measurements;
		}

	}

	/**
	 * Where a registered meter reads its values: held strongly by what keeps the meter,
	 * as Micrometer holds a function meter's object weakly.
	 */
	@FunctionalInterface
	private interface ValueSource {

		double value(int index);

	}

	/**
	 * A counter's or timer's sum over all workers: the live ones' values and what exited
	 * ones had counted.
	 */
	private static final class Sum implements ValueSource {

		private final WorkerMeter total;

		private final List<WorkerMeter> live = new CopyOnWriteArrayList<>();

		private final double[] retired = new double[2];

		Sum(WorkerMeter total) {
			this.total = total;
		}

		void registerIn(MeterRegistry registry) {
			this.total.registered.add(this.total.register(registry, this));
		}

		void add(WorkerMeter meter) {
			this.live.add(meter);
		}

		synchronized void retire(WorkerMeter meter) {
			if (this.live.remove(meter)) {
				double[] last = meter.values;
				for (int i = 0; i < Math.min(last.length, this.retired.length); i++) {
					this.retired[i] += Double.isFinite(last[i]) ? last[i] : 0;
				}
			}
		}

		@Override
		public synchronized double value(int index) {
			double sum = this.retired[index];
			for (WorkerMeter meter : this.live) {
				sum += meter.value(index);
			}
			return sum;
		}

	}

}
