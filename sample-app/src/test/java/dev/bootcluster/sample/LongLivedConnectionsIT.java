package dev.bootcluster.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.Processes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent event streams through a rolling restart: a worker tells its application when
 * its drain begins, the application ends its streams and the worker leaves at once; a
 * stream the application keeps open is cut by {@code kill-timeout}.
 */
class LongLivedConnectionsIT {

	private static final Duration LONG = Duration.ofSeconds(120);

	private static final Pattern WORKER = Pattern.compile("data:worker (\\d+) tick");

	@Test
	void streamsEndWhenTheirWorkerDrainsAndTheWorkerLeavesWithoutBeingKilled() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.kill-timeout=60s");
				EventStream stream = EventStream.open(cluster.port(), "/ticks")) {
			cluster.awaitReady(2);
			int worker = stream.awaitWorker();
			Processes.signal(cluster.primary().pid(), "HUP");
			await().atMost(LONG).until(stream::ended);
			assertThat(stream.lines()).contains("event:reconnect", "data:worker " + worker + " is draining");
			JsonNode exit = awaitExit(cluster, worker);
			assertThat(exit.get("cause").asString()).isEqualTo("disconnected");
			assertThat(cluster.output()).containsPattern(
					"\\[worker-" + worker + "\\].*Draining: closed 1 event stream\\(s\\), left 0 open");
			await().atMost(LONG).until(() -> cluster.output().contains("Rolling restart complete"));
			assertThat(cluster.awaitReady(2).get("exits")).allSatisfy(
					(ended) -> assertThat(ended.get("cause").asString()).isEqualTo("disconnected"));
		}
	}

	@Test
	void aStreamTheApplicationKeepsOpenIsCutByTheKillTimeout() throws Exception {
		try (SampleCluster cluster = SampleCluster.start("--server.port=0", "--cluster.workers=2",
				"--cluster.worker.kill-timeout=3s");
				EventStream stream = EventStream.open(cluster.port(), "/ticks?outliveDrain=true")) {
			cluster.awaitReady(2);
			int worker = stream.awaitWorker();
			Processes.signal(cluster.primary().pid(), "HUP");
			await().atMost(LONG).until(stream::ended);
			assertThat(stream.lines()).doesNotContain("event:reconnect");
			assertThat(awaitExit(cluster, worker).get("cause").asString()).isEqualTo("kill-timeout");
			assertThat(cluster.output()).containsPattern("worker " + worker + " \\(pid \\d+.*did not drain within")
				.containsPattern("Asked worker " + worker + " \\(pid \\d+.*for a thread dump");
			await().atMost(LONG)
				.untilAsserted(() -> assertThat(cluster.output()).as("what the worker was doing, in its thread dump")
					.contains("Full thread dump")
					.containsPattern("\\n\"http-nio-[^\"]*\" #\\d+"));
			await().atMost(LONG).until(() -> cluster.output().contains("Rolling restart complete"));
			assertThat(cluster.awaitReady(2).get("exits")).filteredOn((ended) -> ended.get("id").asInt() != worker)
				.as("the worker without a stream")
				.singleElement()
				.satisfies((ended) -> assertThat(ended.get("cause").asString()).isEqualTo("disconnected"));
		}
	}

	private static JsonNode awaitExit(SampleCluster cluster, int worker) {
		return await().atMost(LONG).ignoreExceptions().until(() -> {
			for (JsonNode exit : cluster.cluster().get("exits")) {
				if (exit.get("id").asInt() == worker) {
					return exit;
				}
			}
			return null;
		}, (exit) -> exit != null);
	}

	/**
	 * An event stream read line by line on a thread of its own until the server ends it.
	 */
	private static final class EventStream implements AutoCloseable {

		private final Socket socket;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private final Thread reader;

		private volatile boolean ended;

		private EventStream(Socket socket) {
			this.socket = socket;
			this.reader = new Thread(this::read, "event-stream");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static EventStream open(int port, String path) throws IOException {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new EventStream(socket);
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				this.lines.add("cut: " + ex.getMessage());
			}
			finally {
				this.ended = true;
			}
		}

		/**
		 * Waits for the first tick and returns the worker that sent it.
		 */
		int awaitWorker() {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.lines.stream().anyMatch((line) -> WORKER.matcher(line).find()));
			for (String line : this.lines) {
				Matcher matcher = WORKER.matcher(line);
				if (matcher.find()) {
					return Integer.parseInt(matcher.group(1));
				}
			}
			throw new IllegalStateException("no tick in " + this.lines);
		}

		boolean ended() {
			return this.ended;
		}

		List<String> lines() {
			return this.lines;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
