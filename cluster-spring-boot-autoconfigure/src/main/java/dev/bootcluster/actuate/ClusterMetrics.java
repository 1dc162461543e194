package dev.bootcluster.actuate;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.Worker;
import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.WorkerState;
import dev.bootcluster.event.WorkerExitEvent;
import dev.bootcluster.event.WorkerForkEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.event.EventListener;

/**
 * The cluster's meters, in the primary: {@code cluster.workers{state}},
 * {@code cluster.worker.exits{cause}}, {@code cluster.worker.restarts}, and for each live
 * worker {@code cluster.worker.requests}, {@code cluster.worker.requests.active} and
 * {@code cluster.worker.heap.used}, tagged with its id ({@code cluster.metrics.worker-tag}), as its heartbeats report them.
 * Exits and restarts are counted from the primary's start, even before a registry binds.
 */
public class ClusterMetrics implements MeterBinder {

	private final Supplier<ClusterSnapshot> snapshot;

	private final Supplier<List<Worker>> workers;

	private final String workerTag;

	private final Map<WorkerExitCause, AtomicLong> exits = new EnumMap<>(WorkerExitCause.class);

	private final AtomicLong restarts = new AtomicLong();

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Map<Integer, List<Meter>> workerMeters = new ConcurrentHashMap<>();

	/**
	 * Creates the meters of a primary.
	 * @param snapshot the primary's state of the cluster now
	 * @param workers the primary's live workers now
	 */
	public ClusterMetrics(Supplier<ClusterSnapshot> snapshot, Supplier<List<Worker>> workers) {
		this(snapshot, workers, "worker");
	}

	/**
	 * Creates the meters of a primary.
	 * @param snapshot the primary's state of the cluster now
	 * @param workers the primary's live workers now
	 * @param workerTag the tag that names a worker's meters' worker
	 */
	public ClusterMetrics(Supplier<ClusterSnapshot> snapshot, Supplier<List<Worker>> workers, String workerTag) {
		this.snapshot = snapshot;
		this.workers = workers;
		this.workerTag = workerTag;
		for (WorkerExitCause cause : WorkerExitCause.values()) {
			this.exits.put(cause, new AtomicLong());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WorkerState state : WorkerState.values()) {
			Gauge.builder("cluster.workers", this.snapshot, (snapshot) -> snapshot.get().count(state))
				.tag("state", state.name().toLowerCase(Locale.ROOT))
				.description("Workers in each state (ERRORED counts crash-looped slots)")
				.register(registry);
		}
		this.exits.forEach((cause, count) -> FunctionCounter.builder("cluster.worker.exits", count, AtomicLong::get)
			.tag("cause", cause.toValue())
			.description("Worker exits by cause")
			.register(registry));
		FunctionCounter.builder("cluster.worker.restarts", this.restarts, AtomicLong::get)
			.description("Workers forked to take the place of one that exited or was replaced")
			.register(registry);
		this.registries.add(registry);
		this.workers.get().forEach(this::addWorkerMeters);
	}

	/**
	 * Counts a respawn and adds the new worker's meters.
	 * @param event the fork
	 */
	@EventListener
	public void forked(WorkerForkEvent event) {
		if (event.getWorker().restarts() > 0) {
			this.restarts.incrementAndGet();
		}
		addWorkerMeters(event.getWorker());
	}

	/**
	 * Counts an exit and removes the worker's meters.
	 * @param event the exit
	 */
	@EventListener
	public void exited(WorkerExitEvent event) {
		this.exits.get(event.getCause()).incrementAndGet();
		List<Meter> meters = this.workerMeters.remove(event.getWorker().id());
		if (meters != null) {
			meters.forEach((meter) -> this.registries.forEach((registry) -> registry.remove(meter)));
		}
	}

	private void addWorkerMeters(Worker worker) {
		String id = Integer.toString(worker.id());
		for (MeterRegistry registry : this.registries) {
			List<Meter> meters = List.of(
					FunctionCounter.builder("cluster.worker.requests", worker, (w) -> w.load().requests())
						.tag(this.workerTag, id)
						.description("Requests a worker has served, as of its last heartbeat")
						.register(registry),
					Gauge.builder("cluster.worker.requests.active", worker, (w) -> w.load().activeRequests())
						.tag(this.workerTag, id)
						.description("Requests a worker was serving at its last heartbeat")
						.register(registry),
					Gauge.builder("cluster.worker.heap.used", worker, (w) -> w.load().heapUsed())
						.tag(this.workerTag, id)
						.baseUnit("bytes")
						.description("Heap a worker used at its last heartbeat")
						.register(registry));
			this.workerMeters.computeIfAbsent(worker.id(), (key) -> new CopyOnWriteArrayList<>()).addAll(meters);
		}
	}

}
