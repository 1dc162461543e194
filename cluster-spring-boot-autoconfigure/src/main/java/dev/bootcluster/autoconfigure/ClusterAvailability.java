package dev.bootcluster.autoconfigure;

import java.util.function.BooleanSupplier;

import dev.bootcluster.event.WorkerDisconnectEvent;
import dev.bootcluster.event.WorkerEvent;
import dev.bootcluster.event.WorkerExitEvent;
import dev.bootcluster.event.WorkerReadyEvent;
import dev.bootcluster.event.WorkerSlotErroredEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * The primary's {@link org.springframework.boot.availability.ApplicationAvailability}:
 * its readiness is the application's own and the cluster's, so it refuses traffic while
 * fewer than {@code cluster.min-ready} workers are ready or a slot is ERRORED, and
 * Kubernetes probes ({@code /actuator/health/readiness}) follow the cluster. Its liveness
 * is BROKEN once the primary's own machinery has failed (an error the JVM may not recover
 * from), so that a liveness probe restarts a primary that may no longer supervise. Each change
 * the cluster makes is published as an {@link AvailabilityChangeEvent}; the
 * application's own changes (such as refusing traffic on shutdown) are kept as Spring
 * Boot keeps them and always win over the cluster's.
 */
class ClusterAvailability extends ApplicationAvailabilityBean {

	private final BooleanSupplier clusterAvailable;

	private final BooleanSupplier primaryFailed;

	private final ApplicationEventPublisher publisher;

	private volatile @Nullable ReadinessState lastPublished;

	/**
	 * Creates the availability.
	 * @param clusterAvailable whether the cluster can serve now
	 * @param primaryFailed whether the primary's own machinery has failed
	 * @param publisher where changes of readiness are published
	 */
	public ClusterAvailability(BooleanSupplier clusterAvailable, BooleanSupplier primaryFailed,
			ApplicationEventPublisher publisher) {
		this.clusterAvailable = clusterAvailable;
		this.primaryFailed = primaryFailed;
		this.publisher = publisher;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <S extends AvailabilityState> @Nullable S getState(Class<S> stateType) {
		S state = super.getState(stateType);
		if (state == ReadinessState.ACCEPTING_TRAFFIC && !this.clusterAvailable.getAsBoolean()) {
			return (S) ReadinessState.REFUSING_TRAFFIC;
		}
		if (state == LivenessState.CORRECT && this.primaryFailed.getAsBoolean()) {
			return (S) LivenessState.BROKEN;
		}
		return state;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getSource() != this) { // the cluster's own changes are derived, not kept
			super.onApplicationEvent(event);
		}
	}

	/**
	 * Publishes the readiness if a worker's step changed it: a worker ready, draining or
	 * gone, or a slot given up.
	 * @param event the step
	 */
	@EventListener({ WorkerReadyEvent.class, WorkerDisconnectEvent.class, WorkerExitEvent.class,
			WorkerSlotErroredEvent.class })
	public void workerStep(WorkerEvent event) {
		ReadinessState readiness = getState(ReadinessState.class);
		if (readiness != null && readiness != this.lastPublished) {
			this.lastPublished = readiness;
			AvailabilityChangeEvent.publish(this.publisher, this, readiness);
		}
	}

}
