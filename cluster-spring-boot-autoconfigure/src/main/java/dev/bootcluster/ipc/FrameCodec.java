package dev.bootcluster.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Reads and writes control frames: a 4-byte big-endian length, then that many bytes of
 * JSON. A frame longer than the limit is refused before any of it is read, so a peer
 * cannot make the reader allocate what it likes.
 */
final class FrameCodec {

	/** The largest frame either side accepts. */
	static final int MAX_FRAME_BYTES = 1024 * 1024;

	private FrameCodec() {
	}

	/**
	 * Encodes a message as one frame.
	 * @param message the message
	 * @return the frame, ready to write
	 * @throws FrameTooLargeException if the message is over the limit
	 */
	static ByteBuffer encode(ControlMessage message) throws FrameTooLargeException {
		byte[] json = Wire.mapper().writeValueAsBytes(message);
		if (json.length > MAX_FRAME_BYTES) {
			throw new FrameTooLargeException(json.length, MAX_FRAME_BYTES);
		}
		return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).flip();
	}

	/**
	 * Writes a message as one frame.
	 * @param channel a blocking channel
	 * @param message the message
	 * @throws IOException if the channel fails or the message is over the limit
	 */
	static void write(WritableByteChannel channel, ControlMessage message) throws IOException {
		ByteBuffer frame = encode(message);
		while (frame.hasRemaining()) {
			channel.write(frame);
		}
	}

	/**
	 * Reads one frame.
	 * @param channel a blocking channel
	 * @param maxBytes the largest frame accepted
	 * @return the message, or {@code null} if the channel ended cleanly between frames
	 * @throws FrameTooLargeException if the frame is over the limit
	 * @throws MalformedFrameException if the frame is not a control message
	 * @throws IOException if the channel fails or ends inside a frame
	 */
	static @Nullable ControlMessage read(ReadableByteChannel channel, int maxBytes) throws IOException {
		Frame frame = readFrame(channel, maxBytes);
		return (frame != null) ? frame.message() : null;
	}

	/**
	 * Reads one frame with its size.
	 * @param channel a blocking channel
	 * @param maxBytes the largest frame accepted
	 * @return the frame, or {@code null} if the channel ended cleanly between frames
	 * @throws IOException as {@link #read} does
	 */
	static @Nullable Frame readFrame(ReadableByteChannel channel, int maxBytes) throws IOException {
		ByteBuffer header = ByteBuffer.allocate(4);
		if (!fill(channel, header)) {
			return null;
		}
		int length = header.flip().getInt();
		if (length < 0 || length > maxBytes) {
			throw new FrameTooLargeException(Integer.toUnsignedLong(length), maxBytes);
		}
		ByteBuffer body = ByteBuffer.allocate(length);
		if (!fill(channel, body) && length > 0) {
			throw new EOFException("The control channel ended inside a frame");
		}
		try {
			return new Frame(Wire.mapper().readValue(body.array(), ControlMessage.class), 4 + length);
		}
		catch (JacksonException ex) {
			throw new MalformedFrameException(ex.getOriginalMessage());
		}
	}

	/**
	 * A frame as read.
	 *
	 * @param message its message
	 * @param bytes its size on the wire
	 */
	record Frame(ControlMessage message, int bytes) {
	}

	/**
	 * Fills the buffer.
	 * @return {@code false} if the channel ended before the first byte
	 */
	private static boolean fill(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
		boolean started = false;
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				if (started) {
					throw new EOFException("The control channel ended inside a frame");
				}
				return false;
			}
			started = true;
		}
		return true;
	}

}
