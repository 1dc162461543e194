package dev.bootcluster.supervision;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RollingRestart}.
 */
class RollingRestartTests {

	@Test
	void slotsAreReplacedABatchAtATimeInOrder() {
		RollingRestart rolling = new RollingRestart(2);
		CompletableFuture<Void> done = rolling.begin(List.of(1, 2, 3, 4, 5));
		assertThat(rolling.next()).containsExactly(1, 2);
		assertThat(rolling.next()).as("the batch is full").isEmpty();
		rolling.finished(2);
		assertThat(rolling.next()).containsExactly(3);
		rolling.finished(1);
		rolling.finished(3);
		assertThat(rolling.next()).containsExactly(4, 5);
		assertThat(done).isNotDone();
		rolling.finished(4);
		rolling.finished(5);
		assertThat(done).isCompleted();
	}

	@Test
	void aRestartAskedForDuringAnotherRollsEverySlotAgainAndBothComplete() {
		RollingRestart rolling = new RollingRestart(1);
		CompletableFuture<Void> first = rolling.begin(List.of(1, 2, 3));
		assertThat(rolling.next()).containsExactly(1);
		rolling.finished(1);
		assertThat(rolling.next()).containsExactly(2);
		CompletableFuture<Void> second = rolling.begin(List.of(1, 2, 3));
		rolling.finished(2); // its successor predates the second restart: it rolls again
		assertThat(rolling.next()).containsExactly(3);
		rolling.finished(3);
		assertThat(rolling.next()).containsExactly(1);
		rolling.finished(1);
		assertThat(rolling.next()).containsExactly(2);
		assertThat(first).isNotDone();
		rolling.finished(2);
		assertThat(rolling.next()).isEmpty();
		assertThat(first).isCompleted();
		assertThat(second).isCompleted();
	}

	@Test
	void aSlotRemovedDuringItsTurnCompletesTheRestart() {
		RollingRestart rolling = new RollingRestart(1);
		CompletableFuture<Void> done = rolling.begin(List.of(1, 2));
		assertThat(rolling.next()).containsExactly(1);
		rolling.finished(1);
		assertThat(rolling.next()).containsExactly(2);
		rolling.remove(2); // scaled away during its turn
		assertThat(done).isCompleted();
	}

	@Test
	void aSlotRemovedWhileWaitingCompletesTheRestartOnceTheOthersAreDone() {
		RollingRestart rolling = new RollingRestart(1);
		CompletableFuture<Void> done = rolling.begin(List.of(1, 2));
		assertThat(rolling.next()).containsExactly(1);
		rolling.finished(1);
		rolling.remove(2); // scaled away before its turn: no later finished() comes for it
		assertThat(done).isCompleted();
	}

	@Test
	void aSlotTakenOutWhileWaitingIsSkipped() {
		RollingRestart rolling = new RollingRestart(1);
		CompletableFuture<Void> done = rolling.begin(List.of(1, 2));
		assertThat(rolling.next()).containsExactly(1);
		rolling.remove(2); // scaled away
		rolling.finished(1);
		assertThat(rolling.next()).isEmpty();
		assertThat(done).isCompleted();
	}

	@Test
	void aRestartOfNoSlotIsDoneAtOnceAndACancelledOneNever() {
		assertThat(new RollingRestart(1).begin(List.of())).isCompleted();
		RollingRestart rolling = new RollingRestart(1);
		CompletableFuture<Void> done = rolling.begin(List.of(1));
		rolling.next();
		rolling.cancel();
		assertThat(done).isCancelled();
		assertThat(rolling.isReplacing(1)).isFalse();
	}

}
