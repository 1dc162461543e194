package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import sun.misc.SignalHandler;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RestartOnHangup}: through its installer seam, and in a real JVM started
 * with {@code -Xrs} (which keeps {@code SIGHUP} for itself).
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartOnHangupTests {

	private static final String UNAVAILABLE = "rolling restarts are available through the API and the endpoint only";

	@Test
	void hangupRestartsAndStopPutsThePreviousHandlerBack(CapturedOutput output) {
		AtomicInteger restarts = new AtomicInteger();
		List<SignalHandler> installed = new ArrayList<>();
		SignalHandler previous = (signal) -> {
		};
		RestartOnHangup hangup = new RestartOnHangup(restarts::incrementAndGet, (name, handler) -> {
			assertThat(name).isEqualTo("HUP");
			installed.add(handler);
			return previous;
		});
		hangup.start();
		assertThat(hangup.isRunning()).isTrue();
		assertThat(hangup.isHandlingHangup()).isTrue();
		installed.get(0).handle(null);
		assertThat(restarts).hasValue(1);
		hangup.stop();
		assertThat(installed).hasSize(2).last().isSameAs(previous);
		assertThat(hangup.isRunning()).isFalse();
		assertThat(output).doesNotContain(UNAVAILABLE);
	}

	@Test
	void aJvmThatRefusesTheSignalStartsAllTheSameAndSaysSoOnce(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		RestartOnHangup hangup = new RestartOnHangup(() -> {
			throw new AssertionError("no restart without the signal");
		}, (name, handler) -> {
			attempts.incrementAndGet();
			throw new IllegalArgumentException("Signal already used by VM or OS: SIG" + name);
		});
		hangup.start();
		assertThat(hangup.isRunning()).isTrue();
		assertThat(hangup.isHandlingHangup()).isFalse();
		hangup.stop();
		assertThat(attempts).as("stop restores nothing it did not install").hasValue(1);
		assertThat(hangup.isRunning()).isFalse();
		assertThat(output.getOut().split(UNAVAILABLE, -1)).hasSize(2);
		assertThat(output).contains("INFO").contains("Signal already used by VM or OS: SIGHUP");
	}

	@Test
	@DisabledOnOs(OS.WINDOWS)
	void aRealJvmStartedWithXrsStartsWithoutTheHandler() throws Exception {
		assertThat(runHangupCheck()).as("without -Xrs").contains("handling SIGHUP: true").doesNotContain(UNAVAILABLE);
		assertThat(runHangupCheck("-Xrs")).contains("handling SIGHUP: false").contains(UNAVAILABLE);
	}

	private static String runHangupCheck(String... jvmArgs) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElseThrow());
		command.addAll(List.of(jvmArgs));
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				HangupCheck.class.getName()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			return output;
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Starts a {@link RestartOnHangup} on the JVM's own signals and tells whether it
	 * handles {@code SIGHUP}.
	 */
	static final class HangupCheck {

		public static void main(String[] args) {
			RestartOnHangup hangup = new RestartOnHangup(() -> {
			}, RestartOnHangup.JVM_SIGNALS);
			hangup.start();
			System.out.println("handling SIGHUP: " + hangup.isHandlingHangup());
			hangup.stop();
		}

	}

}
