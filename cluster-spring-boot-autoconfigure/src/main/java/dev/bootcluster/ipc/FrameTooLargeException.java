package dev.bootcluster.ipc;

import java.io.IOException;

/**
 * Thrown when a control frame is longer than the channel allows, on either side.
 */
class FrameTooLargeException extends IOException {

	/**
	 * Creates a new instance.
	 * @param length the frame's length in bytes
	 * @param limit the largest length allowed
	 */
	public FrameTooLargeException(long length, int limit) {
		super("Control frame of " + length + " bytes is over the limit of " + limit + " bytes");
	}

}
