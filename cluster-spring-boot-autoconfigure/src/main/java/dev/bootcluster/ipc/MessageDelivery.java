package dev.bootcluster.ipc;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.BiFunction;

import dev.bootcluster.MessageDeliveryException;
import dev.bootcluster.PrimaryUnreachableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an application's payload into a {@code message} frame and sends it, with the
 * failures a {@link dev.bootcluster.ClusterMessenger} promises: a payload that cannot be
 * written or is too large is the caller's mistake, a channel that fails is a delivery
 * failure.
 */
public final class MessageDelivery {

	private MessageDelivery() {
	}

	/**
	 * Writes a payload as a message.
	 * @param jsonMapper the application's mapper
	 * @param payload the payload
	 * @return the message
	 * @throws IllegalArgumentException if Jackson cannot write the payload
	 */
	public static ControlMessage.Message message(JsonMapper jsonMapper, Object payload) {
		try {
			return new ControlMessage.Message(jsonMapper.valueToTree(payload));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Cannot write the message payload (" + payload.getClass().getName() + ") as JSON: "
							+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Sends a message.
	 * @param peer who it is for, as error messages name it
	 * @param send what sends it
	 * @throws IllegalArgumentException if the message is over the frame limit (nothing
	 * was sent)
	 * @throws MessageDeliveryException if the channel fails
	 */
	public static void deliver(String peer, Send send) {
		deliver(peer, send, MessageDeliveryException::new);
	}

	/**
	 * Sends a worker's message to its primary.
	 * @param send what sends it
	 * @throws IllegalArgumentException if the message is over the frame limit (nothing
	 * was sent)
	 * @throws PrimaryUnreachableException if the channel is closed or the primary reads
	 * no more
	 */
	public static void deliverToPrimary(Send send) {
		deliver("the primary", send, PrimaryUnreachableException::new);
	}

	private static void deliver(String peer, Send send,
			BiFunction<String, IOException, ? extends MessageDeliveryException> failure) {
		try {
			send.send();
		}
		catch (FrameTooLargeException ex) {
			throw new IllegalArgumentException("The message to " + peer + " was not sent: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			String reason = (ex instanceof ClosedChannelException) ? "the control channel is closed" : ex.getMessage();
			throw failure.apply("Cannot send the message to " + peer + ": " + reason, ex);
		}
	}

	/**
	 * Sends one message on a channel.
	 */
	@FunctionalInterface
	public interface Send {

		/**
		 * Sends it.
		 * @throws IOException if the channel fails or the frame is too large
		 */
		void send() throws IOException;

	}

}
