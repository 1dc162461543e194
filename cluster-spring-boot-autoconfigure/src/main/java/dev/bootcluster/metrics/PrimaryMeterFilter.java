package dev.bootcluster.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.jspecify.annotations.Nullable;

/**
 * Shapes the primary's own meters to sit beside its workers' in one registry: each is
 * tagged as the primary's ({@code worker="primary"}), since Prometheus wants every meter
 * of a name to have the same tag keys (the {@code ClusterMetrics}, of no worker's name,
 * keep their own tags), and its timers and summaries keep no histogram or
 * percentiles, since a worker's timer comes over as a count and a total time and one
 * name takes one shape.
 */
public class PrimaryMeterFilter implements MeterFilter {

	/** The worker tag's value on the primary's own meters. */
	public static final String PRIMARY = "primary";

	private static final DistributionStatisticConfig NO_DISTRIBUTION = DistributionStatisticConfig.builder()
		.percentilesHistogram(false)
		.percentiles(new double[0])
		.serviceLevelObjectives(new double[0])
		.build();

	private final String workerTag;

	/**
	 * Creates the filter.
	 * @param workerTag the tag that names each meter's worker
	 */
	public PrimaryMeterFilter(String workerTag) {
		this.workerTag = workerTag;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		return (id.getTag(this.workerTag) != null || isTheClusters(id)) ? id
				: id.withTag(Tag.of(this.workerTag, PRIMARY));
	}

	/**
	 * The {@code ClusterMetrics}: about the cluster as a whole, or tagged with a worker
	 * already, and of no worker's name.
	 */
	private static boolean isTheClusters(Meter.Id id) {
		return id.getName().equals("cluster.workers") || id.getName().startsWith("cluster.worker.");
	}

	@Override
	public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		return NO_DISTRIBUTION.merge(config);
	}

}
