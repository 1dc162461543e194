package dev.bootcluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WorkerCountTests {

	@Test
	void parsesIntegersAndAuto() {
		assertThat(WorkerCount.valueOf("4").resolve()).isEqualTo(4);
		assertThat(WorkerCount.valueOf(" 0 ")).isEqualTo(WorkerCount.NONE);
		assertThat(WorkerCount.valueOf("AUTO").isAuto()).isTrue();
		assertThat(WorkerCount.valueOf("auto").resolve()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(WorkerCount.AUTO).hasToString("auto");
	}

	@Test
	void rejectsWhatIsNeitherWithTheValueInTheMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf("four")).withMessageContaining("'four'");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCount.valueOf("-2")).withMessageContaining("-2");
	}

}
