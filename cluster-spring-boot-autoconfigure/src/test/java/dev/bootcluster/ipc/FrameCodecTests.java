package dev.bootcluster.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FrameCodec}.
 */
class FrameCodecTests {

	@Test
	void everyMessageSurvivesTheWire() throws IOException {
		ObjectNode state = JsonNodeFactory.instance.objectNode().put("role", "PRIMARY");
		List<ControlMessage> messages = List.of(new ControlMessage.Hello(3, "secret", 42), new ControlMessage.Online(),
				new ControlMessage.Listening("0.0.0.0", 8080), new ControlMessage.Ready(),
				new ControlMessage.Heartbeat(10, 2, 1 << 20, 1 << 19), new ControlMessage.Disconnect(),
				new ControlMessage.Query(7), new ControlMessage.QueryReply(7, state));
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		for (ControlMessage message : messages) {
			FrameCodec.write(Channels.newChannel(wire), message);
		}
		ReadableByteChannel in = channel(wire.toByteArray());
		for (ControlMessage message : messages) {
			assertThat(FrameCodec.read(in, FrameCodec.MAX_FRAME_BYTES)).isEqualTo(message);
		}
		assertThat(FrameCodec.read(in, FrameCodec.MAX_FRAME_BYTES)).as("clean end").isNull();
	}

	@Test
	void requestsRepliesAndMetersSurviveTheWireNaNAndInfinityToo() throws IOException {
		ControlMessage.WorkerRequest request = new ControlMessage.WorkerRequest(4,
				ControlMessage.WorkerRequest.Ask.SET_LOGGER_LEVEL, "dev.bootcluster", "DEBUG");
		ControlMessage.WorkerReply reply = new ControlMessage.WorkerReply(4, JsonNodeFactory.instance.stringNode("ok"),
				null);
		ControlMessage.Meters.Sample sample = new ControlMessage.Meters.Sample("queue",
				ControlMessage.Meters.Kind.GAUGE, List.of("shop", "north"), "items", "Items waiting",
				new double[] { Double.NaN, Double.POSITIVE_INFINITY, 2.5 }, List.of());
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		FrameCodec.write(Channels.newChannel(wire), request);
		FrameCodec.write(Channels.newChannel(wire), reply);
		ControlMessage.Meters.Gone gone = new ControlMessage.Meters.Gone("orders", ControlMessage.Meters.Kind.COUNTER,
				List.of("shop", "south"));
		FrameCodec.write(Channels.newChannel(wire), new ControlMessage.Meters(List.of(sample), List.of(gone)));
		ReadableByteChannel in = channel(wire.toByteArray());
		assertThat(FrameCodec.read(in, FrameCodec.MAX_FRAME_BYTES)).isEqualTo(request);
		assertThat(FrameCodec.read(in, FrameCodec.MAX_FRAME_BYTES)).isEqualTo(reply);
		ControlMessage.Meters meters = (ControlMessage.Meters) FrameCodec.read(in, FrameCodec.MAX_FRAME_BYTES);
		assertThat(meters.gone()).containsExactly(gone);
		ControlMessage.Meters.Sample read = meters.meters().get(0);
		assertThat(read).usingRecursiveComparison().ignoringFields("values").isEqualTo(sample);
		assertThat(Arrays.equals(read.values(), sample.values())).as(Arrays.toString(read.values())).isTrue();
	}

	@Test
	void framesAreLengthPrefixedJsonNamedByType() throws IOException {
		ByteBuffer frame = FrameCodec
			.encode(new ControlMessage.Listening("127.0.0.1", 9000, List.of(9001), List.of("/tmp/c/1-0.sock")));
		int length = frame.getInt();
		String json = StandardCharsets.UTF_8.decode(frame).toString();
		assertThat(json).hasSize(length)
			.isEqualTo("{\"type\":\"listening\",\"address\":\"127.0.0.1\",\"port\":9000,\"additionalPorts\":[9001],"
					+ "\"socketPaths\":[\"/tmp/c/1-0.sock\"]}");
	}

	@Test
	void aListeningFrameWithoutAdditionalPortsHasNone() throws IOException {
		byte[] json = "{\"type\":\"listening\",\"address\":\"127.0.0.1\",\"port\":9000}"
			.getBytes(StandardCharsets.UTF_8);
		ByteBuffer frame = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).flip();
		assertThat(FrameCodec.read(channel(frame.array()), FrameCodec.MAX_FRAME_BYTES))
			.isEqualTo(new ControlMessage.Listening("127.0.0.1", 9000));
	}

	@Test
	void aFrameOverTheLimitIsRefusedBeforeItIsRead() {
		byte[] header = ByteBuffer.allocate(4).putInt(64 << 20).array();
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> FrameCodec.read(channel(header), FrameCodec.MAX_FRAME_BYTES))
			.withMessage("Control frame of 67108864 bytes is over the limit of 1048576 bytes");
	}

	@Test
	void aNegativeLengthIsRefused() {
		byte[] header = ByteBuffer.allocate(4).putInt(-1).array();
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> FrameCodec.read(channel(header), FrameCodec.MAX_FRAME_BYTES))
			.withMessageContaining("4294967295 bytes");
	}

	@Test
	void aMessageOverTheLimitIsRefusedOnTheSendersSide() {
		char[] big = new char[FrameCodec.MAX_FRAME_BYTES];
		Arrays.fill(big, 'x');
		ControlMessage message = new ControlMessage.Listening(new String(big), 1);
		assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> FrameCodec.encode(message));
	}

	@Test
	void invalidJsonIsMalformed() {
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> FrameCodec.read(channel(frame("{\"type\":\"hello\",")), FrameCodec.MAX_FRAME_BYTES))
			.withMessageStartingWith("Malformed control frame: ");
	}

	@Test
	void anUnknownTypeIsMalformed() {
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> FrameCodec.read(channel(frame("{\"type\":\"teleport\"}")), FrameCodec.MAX_FRAME_BYTES))
			.withMessageContaining("teleport");
	}

	@Test
	void anEndInsideAFrameIsAnError() {
		byte[] truncated = Arrays.copyOf(frame("{\"type\":\"ready\"}"), 8);
		assertThatExceptionOfType(EOFException.class)
			.isThrownBy(() -> FrameCodec.read(channel(truncated), FrameCodec.MAX_FRAME_BYTES));
		assertThatExceptionOfType(EOFException.class)
			.isThrownBy(() -> FrameCodec.read(channel(new byte[] { 0, 0 }), FrameCodec.MAX_FRAME_BYTES));
	}

	@Test
	void aHelloNeverShowsItsToken() {
		assertThat(new ControlMessage.Hello(1, "secret", 2).toString()).doesNotContain("secret");
	}

	private static byte[] frame(String json) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	private static ReadableByteChannel channel(byte[] bytes) {
		return Channels.newChannel(new ByteArrayInputStream(bytes));
	}

}
