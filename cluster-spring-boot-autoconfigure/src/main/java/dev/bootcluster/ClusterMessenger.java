package dev.bootcluster;

import java.util.List;

/**
 * Messages between the primary and its workers, like Node's {@code worker.send} and
 * {@code process.send}. A payload is any object Jackson can write; the other side gets it
 * as a {@code WorkerMessageEvent} (in the primary) or a {@code PrimaryMessageEvent} (in a
 * worker) and reads it back as the type it likes. Messages to one peer arrive in the
 * order they were sent. Each side calls only its own methods: the primary
 * {@link #send} and {@link #broadcast}, a worker {@link #sendToPrimary}.
 */
public interface ClusterMessenger {

	/**
	 * Sends a message to one worker (primary only).
	 * @param workerId the worker's id
	 * @param payload the message
	 * @throws MessageDeliveryException if the worker is not connected (it has exited or
	 * is not online yet) or the channel fails
	 * @throws IllegalArgumentException if the payload cannot be written as JSON or is
	 * over the control channel's frame limit
	 * @throws UnsupportedOperationException in a worker
	 */
	void send(int workerId, Object payload);

	/**
	 * Sends a message to every connected worker (primary only).
	 * @param payload the message
	 * @return the ids of the workers it was sent to
	 * @throws MessageDeliveryException if the channel of a connected worker fails; the
	 * others still get the message
	 * @throws IllegalArgumentException if the payload cannot be written as JSON or is
	 * over the control channel's frame limit
	 * @throws UnsupportedOperationException in a worker
	 */
	List<Integer> broadcast(Object payload);

	/**
	 * Sends a message to the primary (worker only).
	 * @param payload the message
	 * @throws PrimaryUnreachableException (a {@link MessageDeliveryException}) if the
	 * control channel to the primary is closed or the primary reads no more
	 * @throws IllegalArgumentException if the payload cannot be written as JSON or is
	 * over the control channel's frame limit
	 * @throws UnsupportedOperationException in the primary
	 */
	void sendToPrimary(Object payload);

}
