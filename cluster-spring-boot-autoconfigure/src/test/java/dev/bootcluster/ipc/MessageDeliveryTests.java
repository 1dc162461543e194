package dev.bootcluster.ipc;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;

import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.PrimaryUnreachableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MessageDelivery}: a worker whose channel to the primary fails gets a
 * {@link PrimaryUnreachableException} that says why, the primary a
 * {@link MessageDeliveryException}, and a message over the frame limit is the caller's
 * mistake on either side.
 */
class MessageDeliveryTests {

	private static final MessageDelivery.Send CLOSED = () -> {
		throw new ClosedChannelException();
	};

	private static final MessageDelivery.Send TOO_LARGE = () -> {
		throw new FrameTooLargeException(2, 1);
	};

	@Test
	void aClosedChannelToThePrimaryIsAPrimaryUnreachable() {
		assertThatExceptionOfType(PrimaryUnreachableException.class)
			.isThrownBy(() -> MessageDelivery.deliverToPrimary(CLOSED))
			.withMessage("Cannot send the message to the primary: the control channel is closed")
			.withCauseInstanceOf(ClosedChannelException.class)
			.isInstanceOf(MessageDeliveryException.class);
	}

	@Test
	void aPrimaryThatReadsNoMoreIsAPrimaryUnreachable() {
		MessageDelivery.Send full = () -> {
			throw new OutboundQueueFullException("the primary", 4096, Duration.ofSeconds(3));
		};
		assertThatExceptionOfType(PrimaryUnreachableException.class)
			.isThrownBy(() -> MessageDelivery.deliverToPrimary(full))
			.withMessage("Cannot send the message to the primary: the primary is not reading its control channel "
					+ "(4096 bytes wait for it, none taken for 3000 ms)");
	}

	@Test
	void aFailedChannelToAWorkerIsAMessageDeliveryFailure() {
		MessageDelivery.Send full = () -> {
			throw new OutboundQueueFullException("worker 3", 4096, Duration.ofSeconds(3));
		};
		assertThatExceptionOfType(MessageDeliveryException.class)
			.isThrownBy(() -> MessageDelivery.deliver("worker 3", full))
			.withMessageStartingWith("Cannot send the message to worker 3: worker 3 is not reading its control channel")
			.isNotInstanceOf(PrimaryUnreachableException.class);
	}

	@Test
	void aMessageOverTheFrameLimitIsAnIllegalArgumentOnEitherSide() {
		assertThatIllegalArgumentException().isThrownBy(() -> MessageDelivery.deliverToPrimary(TOO_LARGE))
			.withMessageStartingWith("The message to the primary was not sent: Control frame of 2 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> MessageDelivery.deliver("worker 3", TOO_LARGE))
			.withMessageStartingWith("The message to worker 3 was not sent: Control frame of 2 bytes");
	}

}
