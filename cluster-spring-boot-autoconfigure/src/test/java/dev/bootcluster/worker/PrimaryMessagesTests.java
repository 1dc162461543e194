package dev.bootcluster.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.bootcluster.ipc.ControlMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PrimaryMessages}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrimaryMessagesTests {

	private final List<Integer> published = new CopyOnWriteArrayList<>();

	private final List<String> threads = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private PrimaryMessages messages;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.messages != null) {
			this.messages.close();
		}
	}

	@Test
	void messagesBeforeTheRefreshAreHeldThenAllArePublishedInOrderOnTheirOwnThread() {
		this.messages = new PrimaryMessages(this::record, 256);
		this.messages.received(message(1));
		this.messages.received(message(2));
		assertThat(this.published).isEmpty();
		this.messages.refreshed();
		this.messages.received(message(3));
		await().untilAsserted(() -> assertThat(this.published).containsExactly(1, 2, 3));
		assertThat(this.threads).containsOnly("cluster-messages");
	}

	@Test
	void aThrowingListenerIsLoggedAndTheNextMessageIsStillPublished(CapturedOutput output) {
		this.messages = new PrimaryMessages((message) -> {
			if (number(message) == 1) {
				throw new IllegalStateException("listener failed");
			}
			record(message);
		}, 256);
		this.messages.refreshed();
		this.messages.received(message(1));
		this.messages.received(message(2));
		await().untilAsserted(() -> assertThat(this.published).containsExactly(2));
		assertThat(output).contains("A PrimaryMessageEvent listener failed").contains("listener failed");
	}

	@Test
	void aSlowListenerDoesNotHoldUpTheReaderUntilTheBoundIsReached(CapturedOutput output) throws Exception {
		this.messages = new PrimaryMessages(blockingOn(0), 3);
		this.messages.refreshed();
		for (int i = 0; i < 3; i++) { // the first is being published, two wait
			this.messages.received(message(i));
		}
		CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> this.messages.received(message(3)));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !fourth.isDone());
		assertThat(output).contains("3 messages from the primary wait for PrimaryMessageEvent listeners");
		this.release.countDown();
		fourth.get(5, TimeUnit.SECONDS);
		await().untilAsserted(() -> assertThat(this.published).containsExactly(0, 1, 2, 3));
	}

	@Test
	void heldMessagesCountAgainstTheBound() {
		this.messages = new PrimaryMessages(this::record, 2);
		this.messages.received(message(1));
		this.messages.received(message(2));
		CompletableFuture<Void> third = CompletableFuture.runAsync(() -> this.messages.received(message(3)));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
		this.messages.refreshed();
		await().untilAsserted(() -> assertThat(this.published).containsExactly(1, 2, 3));
	}

	@Test
	void aReaderWaitingForRoomIsFreedWhenTheWorkerCloses() {
		this.messages = new PrimaryMessages(blockingOn(0), 1);
		this.messages.refreshed();
		this.messages.received(message(0));
		await().until(() -> this.threads.size() == 1); // being published: the one place taken
		CompletableFuture<Void> second = CompletableFuture.runAsync(() -> this.messages.received(message(1)));
		this.messages.close();
		await().atMost(Duration.ofSeconds(2)).until(second::isDone);
	}

	private Consumer<ControlMessage.Message> blockingOn(int number) {
		return (message) -> {
			this.threads.add(Thread.currentThread().getName());
			if (number(message) == number) {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			this.published.add(number(message));
		};
	}

	private void record(ControlMessage.Message message) {
		this.threads.add(Thread.currentThread().getName());
		this.published.add(number(message));
	}

	private static ControlMessage.Message message(int number) {
		return new ControlMessage.Message(JsonNodeFactory.instance.numberNode(number));
	}

	private static int number(ControlMessage.Message message) {
		return message.payload().asInt();
	}

}
