package dev.bootcluster.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.bootcluster.ClusterRole;
import dev.bootcluster.NoSuchWorkerException;
import dev.bootcluster.PrimaryUnreachableException;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlConnection;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.Query.Operation;
import dev.bootcluster.ipc.ControlMessage.QueryReply.Refusal;
import dev.bootcluster.ipc.ControlMessage.QueryReply.Refusal.Reason;
import dev.bootcluster.ipc.ControlServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RemoteClusterOperations} over a real control channel, with a server
 * that refuses as the primary does: each refusal is its own exception in the worker, at
 * once, and the worker's endpoint answers with the matching status. A primary that does
 * not answer, or a closed channel, is a {@link PrimaryUnreachableException}.
 */
class RemoteClusterOperationsTests {

	private static final String FORBIDDEN = "A worker cannot restart the workers: that needs "
			+ "management.endpoint.cluster.access=unrestricted (else workers only read the state)";

	private static final Duration PROMPTLY = Duration.ofSeconds(2);

	private ControlServer server;

	private ControlClient client;

	private RemoteClusterOperations operations;

	@BeforeEach
	void connect() throws IOException {
		this.server = ControlServer.start(new RefusingPrimary());
		String token = ControlServer.newToken();
		this.server.expect(1, token);
		this.client = ControlClient.connect(this.server.address(), 1, token, new ControlClient.Listener() {

			@Override
			public void received(ControlMessage message) {
			}

			@Override
			public void closed(@Nullable Exception cause) {
			}

		});
		this.operations = new RemoteClusterOperations(() -> this.client, Duration.ofSeconds(5));
	}

	@AfterEach
	void close() throws IOException {
		this.client.close();
		this.server.close();
	}

	@Test
	void aChangeWorkersMayNotAskForIsASecurityExceptionAtOnce() {
		assertThat(this.operations.restart()).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(SecurityException.class)
			.withMessage(FORBIDDEN);
	}

	@Test
	void aScaleOverTheLimitIsAnIllegalArgumentAndAMissingWorkerIsNotFound() {
		assertThat(this.operations.scale(Integer.MAX_VALUE)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("cluster.max-workers is 8");
		assertThat(this.operations.replace(9)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(NoSuchWorkerException.class);
	}

	@Test
	void theWorkersEndpointAnswers403ForAForbiddenChangeAnd400OverTheLimit() {
		ClusterEndpoint endpoint = new ClusterEndpoint(ClusterRole.WORKER, this.operations);
		WebEndpointResponse<Object> forbidden = endpoint.change(null, "restart");
		assertThat(forbidden.getStatus()).isEqualTo(403);
		assertThat(forbidden.getBody()).isEqualTo(Map.of("status", 403, "error", FORBIDDEN));
		WebEndpointResponse<Object> tooMany = endpoint.change(Integer.MAX_VALUE, null);
		assertThat(tooMany.getStatus()).isEqualTo(400);
		assertThat(tooMany.getBody()).asString().contains("cluster.max-workers is 8");
	}

	@Test
	void aThreadDumpIsTheTextThePrimaryGotFromThatWorkerOr404() {
		ClusterEndpoint endpoint = new ClusterEndpoint(ClusterRole.WORKER, this.operations);
		WebEndpointResponse<String> dump = endpoint.threadDump(7, "threaddump");
		assertThat(dump.getStatus()).isEqualTo(200);
		assertThat(dump.getBody()).isEqualTo("dump of 7");
		WebEndpointResponse<String> missing = endpoint.threadDump(9, "threaddump");
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(missing.getBody()).isEqualTo("No worker 9 is running and connected");
		assertThat(endpoint.threadDump(7, "heapdump").getStatus()).isEqualTo(404);
	}

	@Test
	void aPrimaryThatNeverAnswersIsUnreachableNamingWhatWasAsked() {
		RemoteClusterOperations operations = new RemoteClusterOperations(() -> this.client, Duration.ofMillis(200));
		assertThat(operations.state()).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(PrimaryUnreachableException.class)
			.withMessage("The primary did not answer 'state' within 200 ms");
		ClusterEndpoint endpoint = new ClusterEndpoint(ClusterRole.WORKER, operations);
		assertThatExceptionOfType(PrimaryUnreachableException.class).isThrownBy(endpoint::cluster)
			.withMessage("The primary did not answer 'state' within 200 ms");
	}

	@Test
	void aClosedChannelIsAPrimaryUnreachableAtOnce() throws IOException {
		this.client.close();
		assertThat(this.operations.restart()).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(PrimaryUnreachableException.class)
			.withMessage("The primary did not answer 'restart': the control channel is closed");
	}

	@Test
	void aPrimaryThatHangsUpBeforeAnsweringIsUnreachable() {
		assertThat(this.operations.threadDump(0)).failsWithin(PROMPTLY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(PrimaryUnreachableException.class)
			.withMessage("The primary did not answer 'threadDump 0': the control channel is closed");
	}

	/**
	 * Refuses every change as a primary would: a scale as out of bounds, a restart as
	 * forbidden, a replacement as not found; tells worker 7's thread dump only. It never
	 * answers for the state, and hangs up when asked for worker 0's thread dump.
	 */
	private static final class RefusingPrimary implements ControlServer.Listener {

		@Override
		public void connected(ControlConnection connection) {
		}

		@Override
		public void received(ControlConnection connection, ControlMessage message, Runnable handled) {
			handled.run();
			if (!(message instanceof ControlMessage.Query query)) {
				return;
			}
			if (query.operation() == Operation.STATE) {
				return; // never answered
			}
			if (query.operation() == Operation.THREAD_DUMP && query.argument() == 0) {
				connection.close();
				return;
			}
			Refusal refusal = switch (query.operation()) {
				case SCALE -> new Refusal(Reason.INVALID,
						"Cannot scale to " + query.argument() + " worker(s): cluster.max-workers is 8");
				case RESTART -> new Refusal(Reason.FORBIDDEN, FORBIDDEN);
				case REPLACE -> new Refusal(Reason.NOT_FOUND, "No worker " + query.argument() + " is running");
				case THREAD_DUMP -> (query.argument() == 7) ? null
						: new Refusal(Reason.NOT_FOUND, "No worker " + query.argument() + " is running and connected");
				case STATE -> throw new IllegalStateException("never answered, as above");
			};
			try {
				connection.send((refusal != null) ? new ControlMessage.QueryReply(query.id(), null, refusal)
						: new ControlMessage.QueryReply(query.id(), JsonNodeFactory.instance.stringNode("dump of 7")));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void closed(ControlConnection connection, @Nullable Exception cause) {
		}

		@Override
		public void failed(Throwable error) {
			throw new AssertionError("The control server failed", error);
		}

	}

}
