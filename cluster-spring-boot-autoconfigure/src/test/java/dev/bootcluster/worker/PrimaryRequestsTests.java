package dev.bootcluster.worker;

import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.ControlMessage.WorkerRequest.Ask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrimaryRequests}: a worker's answers to its primary, with the real
 * logging system.
 */
class PrimaryRequestsTests {

	private static final String LOGGER = "dev.bootcluster.worker.PrimaryRequestsTests.probe";

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final PrimaryRequests requests = new PrimaryRequests(this.loggingSystem);

	@AfterEach
	void resetLevel() {
		this.loggingSystem.setLogLevel(LOGGER, null);
	}

	@Test
	void aThreadDumpShowsThisThreadAtWork() {
		ControlMessage.WorkerReply reply = this.requests.answer(new ControlMessage.WorkerRequest(3, Ask.THREAD_DUMP,
				null, null));
		assertThat(reply.id()).isEqualTo(3);
		assertThat(reply.error()).isNull();
		assertThat(reply.result().asString()).contains("\"" + Thread.currentThread().getName() + "\"")
			.contains("aThreadDumpShowsThisThreadAtWork");
	}

	@Test
	void aLevelSetIsTheLevelReadBackAndNullResetsIt() {
		ControlMessage.WorkerReply set = this.requests.answer(new ControlMessage.WorkerRequest(1,
				Ask.SET_LOGGER_LEVEL, LOGGER, "debug"));
		assertThat(set.result().get("configuredLevel").asString()).isEqualTo("DEBUG");
		ControlMessage.WorkerReply read = this.requests.answer(new ControlMessage.WorkerRequest(2,
				Ask.LOGGER_LEVELS, LOGGER, null));
		assertThat(read.result().get("effectiveLevel").asString()).isEqualTo("DEBUG");
		ControlMessage.WorkerReply reset = this.requests.answer(new ControlMessage.WorkerRequest(3,
				Ask.SET_LOGGER_LEVEL, LOGGER, null));
		assertThat(reset.result().get("configuredLevel").isNull()).isTrue();
	}

	@Test
	void aBadRequestIsAnErrorReplyNamingWhatWasWrong() {
		ControlMessage.WorkerReply badLevel = this.requests.answer(new ControlMessage.WorkerRequest(5,
				Ask.SET_LOGGER_LEVEL, LOGGER, "LOUD"));
		assertThat(badLevel.result()).isNull();
		assertThat(badLevel.error()).contains("LOUD");
		ControlMessage.WorkerReply noLogger = this.requests.answer(new ControlMessage.WorkerRequest(6,
				Ask.LOGGER_LEVELS, null, null));
		assertThat(noLogger.error()).contains("names no logger");
	}

}
