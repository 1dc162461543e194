package dev.bootcluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WorkerCountTests {

	private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

	@Test
	void parsesIntegersAndAuto() {
		assertThat(WorkerCount.valueOf("4").resolve(64)).isEqualTo(4);
		assertThat(WorkerCount.valueOf(" 0 ")).isEqualTo(WorkerCount.NONE);
		assertThat(WorkerCount.valueOf("AUTO").isAuto()).isTrue();
		assertThat(WorkerCount.valueOf("auto").resolve(64)).isEqualTo(Math.min(PROCESSORS, 64));
		assertThat(WorkerCount.AUTO).hasToString("auto");
		assertThat(WorkerCount.valueOf("3")).isEqualTo(WorkerCount.of(3)).hasToString("3").isNotEqualTo(WorkerCount.AUTO);
	}

	@Test
	void autoIsCappedAtTheLimit() {
		assertThat(WorkerCount.AUTO.resolve(1)).isEqualTo(1);
		assertThat(WorkerCount.AUTO.resolve(PROCESSORS + 1)).isEqualTo(PROCESSORS);
	}

	@Test
	void theDefaultLimitIsFourPerProcessorAtMost64() {
		assertThat(WorkerCount.defaultMax()).isEqualTo(Math.min(4 * PROCESSORS, 64));
	}

	@Test
	void rejectsWhatIsNeitherWithTheValueInTheMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf("four")).withMessageContaining("'four'");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf("-2")).withMessageContaining("-2");
	}

	@Test
	void noNumberMeansAuto() {
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf("-1")).withMessageContaining("-1");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.of(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf(Integer.toString(Integer.MIN_VALUE)));
	}

}
