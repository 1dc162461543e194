package dev.bootcluster.actuate;

import java.util.function.Supplier;

import dev.bootcluster.ClusterRole;
import dev.bootcluster.primary.ClusterSnapshot;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/cluster}: the primary, every live worker and the recent exits. The
 * primary answers from its own state; a worker asks the primary over the control channel.
 */
@Endpoint(id = "cluster")
public class ClusterEndpoint {

	private final ClusterRole role;

	private final Supplier<ClusterSnapshot> snapshots;

	/**
	 * Creates the endpoint.
	 * @param role the role of this JVM
	 * @param snapshots where the cluster's state comes from
	 */
	public ClusterEndpoint(ClusterRole role, Supplier<ClusterSnapshot> snapshots) {
		this.role = role;
		this.snapshots = snapshots;
	}

	/**
	 * The cluster's state.
	 * @return the descriptor
	 */
	@ReadOperation
	public ClusterDescriptor cluster() {
		return ClusterDescriptor.of(this.role, this.snapshots.get());
	}

}
