package dev.bootcluster.autoconfigure;

import java.util.Locale;

import dev.bootcluster.actuate.ClusterEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Whether workers may change the cluster over the control channel: with the same access
 * as the {@link ClusterEndpoint}, resolved as Spring Boot resolves it
 * ({@code management.endpoint.cluster.access}, capped by
 * {@code management.endpoints.access.max-permitted}, else
 * {@code management.endpoints.access.default}, else {@code read-only}).
 */
final class WorkerOperationsAccess {

	private static final String ACCESS_PROPERTY = "management.endpoint.cluster.access";

	private static final boolean ACTUATOR_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver",
			WorkerOperationsAccess.class.getClassLoader());

	private WorkerOperationsAccess() {
	}

	/**
	 * Whether the endpoint's access is {@code unrestricted}. Without Actuator, only
	 * {@code management.endpoint.cluster.access} itself counts.
	 * @param environment the primary's environment
	 * @return whether workers may scale, restart and replace
	 */
	static boolean workersMayChange(Environment environment) {
		if (ACTUATOR_PRESENT) {
			return Actuator.unrestricted(environment);
		}
		String access = environment.getProperty(ACCESS_PROPERTY, "");
		return access.trim().toLowerCase(Locale.ROOT).equals("unrestricted");
	}

	/**
	 * Loaded only when Actuator is on the class path.
	 */
	private static final class Actuator {

		static boolean unrestricted(Environment environment) {
			Access access = new PropertiesEndpointAccessResolver(environment).accessFor(EndpointId.of("cluster"),
					Access.READ_ONLY);
			return access == Access.UNRESTRICTED;
		}

	}

}
