package dev.bootcluster.ipc;

import java.io.IOException;

/**
 * Thrown when a control frame is not JSON or not a known control message.
 */
class MalformedFrameException extends IOException {

	/**
	 * Creates a new instance.
	 * @param detail what is wrong with the frame
	 */
	public MalformedFrameException(String detail) {
		super("Malformed control frame: " + detail);
	}

}
