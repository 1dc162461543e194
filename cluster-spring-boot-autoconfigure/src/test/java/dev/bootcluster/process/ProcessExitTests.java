package dev.bootcluster.process;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ProcessExit} and {@link Signals}.
 */
class ProcessExitTests {

	@Test
	void aNormalExitHasACodeAndNoSignal() {
		ProcessExit exit = ProcessExit.fromWaitStatus(3 << 8);
		assertThat(exit.code()).isEqualTo(3);
		assertThat(exit.signal()).isNull();
		assertThat(exit).hasToString("code 3");
	}

	@Test
	void anEndBySignalHasASignalNameAndNoCode() {
		ProcessExit exit = ProcessExit.fromWaitStatus(9);
		assertThat(exit.code()).isNull();
		assertThat(exit.signal()).isEqualTo("SIGKILL");
		assertThat(exit).hasToString("signal SIGKILL");
		assertThat(exit).isEqualTo(ProcessExit.ofSignal("KILL")).isNotEqualTo(ProcessExit.ofSignal("TERM"));
	}

	@Test
	void aCoreDumpIsStillTheSignal() {
		assertThat(ProcessExit.fromWaitStatus(0x80 | 11).signal()).isEqualTo("SIGSEGV");
	}

	@Test
	void signalsAreNamedAsKillNamesThem() {
		assertThat(Signals.number("kill")).isEqualTo(9);
		assertThat(Signals.number("SIGTERM")).isEqualTo(15);
		assertThat(Signals.number("hup")).isEqualTo(1);
		assertThat(Signals.number("19")).isEqualTo(19);
		assertThat(Signals.name(19)).isEqualTo("SIGSTOP");
		assertThat(Signals.name(40)).isEqualTo("SIG40");
		assertThat(ProcessExit.ofSignal("term").signal()).isEqualTo("SIGTERM");
	}

	@Test
	void anUnknownSignalIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Signals.number("SIGNOPE"))
			.withMessage("Unknown signal 'SIGNOPE'");
		assertThatIllegalArgumentException().isThrownBy(() -> Signals.number("0"));
	}

	@Test
	void anExitIsACodeOrASignalNeverBothAndNeitherOnlyForAProcessNeverStarted() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ProcessExit(1, "SIGKILL"));
		assertThat(new ProcessExit(null, null)).isEqualTo(ProcessExit.NOT_STARTED)
			.hasToString("no process (its launch failed)");
	}

}
