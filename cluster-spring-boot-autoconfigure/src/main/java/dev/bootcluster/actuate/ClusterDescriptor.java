package dev.bootcluster.actuate;

import java.util.List;

import dev.bootcluster.ClusterRole;
import dev.bootcluster.ClusterSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /actuator/cluster}: the role of the JVM that answered, and what
 * the primary knows of the cluster.
 *
 * @param role the role of the answering JVM
 * @param mode how workers share the socket
 * @param port the shared port
 * @param additionalPorts the shared ports of the additional connectors
 * @param primary the primary process
 * @param workers the live workers
 * @param exits recent worker exits, oldest first
 * @param unreachable why no new connection reaches a worker now, if so
 */
public record ClusterDescriptor(ClusterRole role, String mode, int port, List<Integer> additionalPorts,
		ClusterSnapshot.PrimaryProcess primary, List<ClusterSnapshot.WorkerSummary> workers,
		List<ClusterSnapshot.WorkerExit> exits, @Nullable String unreachable) {

	static ClusterDescriptor of(ClusterRole role, ClusterSnapshot snapshot) {
		return new ClusterDescriptor(role, snapshot.mode(), snapshot.port(), snapshot.additionalPorts(),
				snapshot.primary(), snapshot.workers(), snapshot.exits(), snapshot.unreachable());
	}

}
