package dev.bootcluster.ipc;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary's end of one worker's control channel, open once the worker has proven
 * who it is.
 */
public final class ControlConnection {

	private static final Log logger = LogFactory.getLog(ControlConnection.class);

	private final SocketChannel channel;

	private final int workerId;

	private final long pid;

	ControlConnection(SocketChannel channel, int workerId, long pid) {
		this.channel = channel;
		this.workerId = workerId;
		this.pid = pid;
	}

	/**
	 * The id of the worker at the other end.
	 * @return the worker's id
	 */
	public int workerId() {
		return this.workerId;
	}

	/**
	 * The process id the worker gave when it connected.
	 * @return the worker's pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Sends a message to the worker. Messages from concurrent callers are not interleaved.
	 * @param message the message
	 * @throws IOException if the channel is closed or fails, or the message is over the
	 * frame size limit
	 */
	public synchronized void send(ControlMessage message) throws IOException {
		FrameCodec.write(this.channel, message);
	}

	/**
	 * Whether the channel is still open.
	 * @return whether it is
	 */
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Closes the channel; the worker sees its primary gone unless it is leaving anyway.
	 */
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the control channel of worker " + this.workerId, ex);
		}
	}

	@Override
	public String toString() {
		return "ControlConnection[worker=" + this.workerId + ", pid=" + this.pid + "]";
	}

}
