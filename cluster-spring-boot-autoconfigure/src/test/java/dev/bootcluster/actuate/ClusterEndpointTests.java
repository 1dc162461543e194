package dev.bootcluster.actuate;

import java.util.Map;

import dev.bootcluster.ClusterRole;
import dev.bootcluster.WorkerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ClusterEndpoint}.
 */
class ClusterEndpointTests {

	private final FixedClusterOperations operations = new FixedClusterOperations(
			() -> FixedClusterOperations.snapshot(WorkerState.READY, WorkerState.FORKED));

	private final ClusterEndpoint endpoint = new ClusterEndpoint(ClusterRole.WORKER, this.operations);

	@Test
	void readsTheStateWithTheAnsweringRole() {
		ClusterDescriptor descriptor = this.endpoint.cluster();
		assertThat(descriptor.role()).isEqualTo(ClusterRole.WORKER);
		assertThat(descriptor.workers()).extracting((worker) -> worker.state())
			.containsExactly(WorkerState.READY, WorkerState.FORKED);
		assertThat(this.operations.calls).isEmpty();
	}

	@Test
	void scalesAndAnswersWithTheState() {
		WebEndpointResponse<Object> response = this.endpoint.change(3, null);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getBody()).isInstanceOf(ClusterDescriptor.class);
		assertThat(this.operations.calls).containsExactly("scale 3");
	}

	@Test
	void restarts() {
		assertThat(this.endpoint.change(null, "restart").getStatus()).isEqualTo(200);
		assertThat(this.operations.calls).containsExactly("restart");
	}

	@Test
	void aRefusedScaleIsABadRequestWithTheReason() {
		WebEndpointResponse<Object> response = this.endpoint.change(0, null);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isEqualTo(Map.of("status", 400, "error", "at least 1"));
	}

	@Test
	void anUnknownActionIsABadRequestThatNamesIt() {
		WebEndpointResponse<Object> response = this.endpoint.change(null, "reboot");
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).asString().contains("\"reboot\"").contains("\"restart\"");
		assertThat(this.operations.calls).isEmpty();
	}

	@Test
	void bothOrNeitherOfWorkersAndActionIsABadRequest() {
		assertThat(this.endpoint.change(null, null).getStatus()).isEqualTo(400);
		assertThat(this.endpoint.change(2, "restart").getStatus()).isEqualTo(400);
		assertThat(this.operations.calls).isEmpty();
	}

	@Test
	void replacesAWorker() {
		assertThat(this.endpoint.replace(1).getStatus()).isEqualTo(200);
		assertThat(this.operations.calls).containsExactly("replace 1");
	}

	@Test
	void replacingAWorkerThatDoesNotRunIsNotFound() {
		WebEndpointResponse<Object> response = this.endpoint.replace(9);
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getBody()).isEqualTo(Map.of("status", 404, "error", "No worker 9 is running"));
	}

	@Test
	void aPrimaryThatDoesNotAnswerIsAnError() {
		ClusterEndpoint endpoint = new ClusterEndpoint(ClusterRole.WORKER, new FixedClusterOperations(() -> {
			throw new IllegalStateException("channel closed");
		}));
		assertThatIllegalStateException().isThrownBy(endpoint::cluster).withMessage("channel closed");
	}

}
