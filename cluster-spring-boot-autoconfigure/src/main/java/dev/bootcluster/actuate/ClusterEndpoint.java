package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.ClusterOperations;
import dev.bootcluster.ClusterRole;
import dev.bootcluster.ClusterSnapshot;
import dev.bootcluster.NoSuchWorkerException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/cluster}: the primary, every live worker and the recent exits; with
 * {@code management.endpoint.cluster.access=unrestricted}, also scaling
 * ({@code POST {"workers": N}}), a rolling restart ({@code POST {"action": "restart"}})
 * and the graceful replacement of one worker ({@code DELETE /actuator/cluster/{id}}).
 * {@code /actuator/cluster/{id}/threaddump} is that worker's thread dump, which the
 * primary asks of it.
 * The primary answers from its own state; a worker asks the primary over the control
 * channel. A change is answered with the state once the primary has applied it; one the
 * primary refuses is a 400 (out of bounds, such as over {@code cluster.max-workers}), a
 * 404 (no such worker) or a 403 (not allowed to workers), each with the reason.
 */
@Endpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String RESTART = "restart";

	private static final String THREAD_DUMP = "threaddump";

	private static final int STATUS_FORBIDDEN = 403;

	private final ClusterRole role;

	private final ClusterOperations operations;

	/**
	 * Creates the endpoint.
	 * @param role the role of this JVM
	 * @param operations where the cluster's state comes from and changes go
	 */
	public ClusterEndpoint(ClusterRole role, ClusterOperations operations) {
		this.role = role;
		this.operations = operations;
	}

	/**
	 * The cluster's state.
	 * @return the descriptor
	 */
	@ReadOperation
	public ClusterDescriptor cluster() {
		return ClusterDescriptor.of(this.role, PrimaryAnswer.await(this.operations.state(), TIMEOUT));
	}

	/**
	 * Scales the cluster or rolls every worker.
	 * @param workers the number of workers to scale to
	 * @param action {@code restart} for a rolling restart
	 * @return the cluster's state, or 400 with the reason
	 */
	@WriteOperation
	public WebEndpointResponse<Object> change(@Nullable Integer workers,
			@Nullable String action) {
		if ((workers == null) == (action == null)) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Give either \"workers\" (a number) or \"action\": \"" + RESTART + "\"");
		}
		if (workers != null) {
			return answer(this.operations.scale(workers));
		}
		if (!RESTART.equals(action)) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Unknown action \"" + action + "\": the only action is \"" + RESTART + "\"");
		}
		return answer(this.operations.restart());
	}

	/**
	 * Gracefully replaces one worker: its successor is ready before it drains.
	 * @param id the worker's id
	 * @return the cluster's state, or 404 if no such worker runs
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> replace(@Selector int id) {
		return answer(this.operations.replace(id));
	}

	/**
	 * One worker's thread dump, asked of that worker: {@code /actuator/cluster/{id}/threaddump}.
	 * @param id the worker's id
	 * @param detail what to tell of it: {@code threaddump}
	 * @return the dump as text, or 404 if no such worker is connected
	 */
	@ReadOperation(produces = "text/plain;charset=UTF-8")
	public WebEndpointResponse<String> threadDump(@Selector int id, @Selector String detail) {
		if (!THREAD_DUMP.equals(detail)) {
			return new WebEndpointResponse<>("No such detail of a worker: \"" + detail + "\" (there is \""
					+ THREAD_DUMP + "\")", WebEndpointResponse.STATUS_NOT_FOUND);
		}
		try {
			return new WebEndpointResponse<>(PrimaryAnswer.await(this.operations.threadDump(id), TIMEOUT));
		}
		catch (NoSuchWorkerException ex) {
			return new WebEndpointResponse<>(String.valueOf(ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
		}
	}

	private WebEndpointResponse<Object> answer(CompletableFuture<ClusterSnapshot> state) {
		try {
			return new WebEndpointResponse<>(ClusterDescriptor.of(this.role, PrimaryAnswer.await(state, TIMEOUT)));
		}
		catch (IllegalArgumentException ex) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		catch (NoSuchWorkerException ex) {
			return refused(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
		}
		catch (SecurityException ex) {
			return refused(STATUS_FORBIDDEN, ex.getMessage());
		}
	}

	private static WebEndpointResponse<Object> refused(int status, @Nullable String message) {
		return new WebEndpointResponse<>(Map.of("status", status, "error", String.valueOf(message)), status);
	}

}
