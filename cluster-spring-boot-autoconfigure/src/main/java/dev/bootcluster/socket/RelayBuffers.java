package dev.bootcluster.socket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The relay's direct buffers, two per relayed connection, kept for reuse up to a bound so
 * that a burst of connections does not leave its memory behind. Used on the relay's
 * thread only.
 */
final class RelayBuffers {

	private static final int BUFFER_BYTES = 16 * 1024;

	private static final int POOLED_BUFFERS = 1024;

	private final Deque<ByteBuffer> pool = new ArrayDeque<>();

	ByteBuffer take() {
		ByteBuffer buffer = this.pool.poll();
		return (buffer != null) ? buffer : ByteBuffer.allocateDirect(BUFFER_BYTES);
	}

	void give(ByteBuffer buffer) {
		if (this.pool.size() < POOLED_BUFFERS) {
			this.pool.push(buffer.clear());
		}
	}

}
