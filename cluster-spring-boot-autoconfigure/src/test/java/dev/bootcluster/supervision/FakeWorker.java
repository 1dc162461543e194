package dev.bootcluster.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.bootcluster.Cluster;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import dev.bootcluster.ipc.OutboundQueueFullException;
import dev.bootcluster.ipc.QueryRefusedException;
import dev.bootcluster.launch.WorkerEnvironment;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A worker process without Spring: speaks the control channel as a real worker does
 * (online, listening, ready, heartbeats; exits on disconnect or when the primary is gone),
 * so that {@link ClusterPrimaryIT} can start many quickly. {@code -Dfake.never-ready=true}
 * makes it never report ready, {@code -Dfake.stubborn=true} ignore disconnects,
 * {@code -Dfake.connect-delay=<ms>} and {@code -Dfake.online-delay=<ms>} wait before it
 * connects and between connecting and saying it is online;
 * {@code -Dfake.queries=SCALE:3,RESTART:0} asks the primary for these operations once it
 * is ready, one after the other, and tells the primary each outcome in a message
 * ({@code "SCALE:3 ok"}, {@code "SCALE:3 refused FORBIDDEN: ..."}). Faults:
 * {@code -Dfake.fail-after=<ms>} exits with code 1 that long after it is listening, never
 * ready (a boot that fails late); {@code -Dfake.stop-reading=true} stops reading its
 * control channel at the first message while it goes on heartbeating;
 * {@code -Dfake.flood=<n>} sends {@code n} messages of {@code -Dfake.flood-bytes} each as
 * fast as it can once ready, writing how many it has sent to
 * {@code -Dfake.progress-file}.
 */
public final class FakeWorker {

	private FakeWorker() {
	}

	public static void main(String[] args) throws Exception {
		int id = Integer.parseInt(System.getenv(Cluster.WORKER_ID_VARIABLE));
		CountDownLatch disconnect = new CountDownLatch(1);
		AtomicReference<ControlClient> self = new AtomicReference<>();
		Thread.sleep(Long.getLong("fake.connect-delay", 0));
		ControlClient client = ControlClient.connect(Path.of(System.getenv(WorkerEnvironment.CONTROL_SOCKET_VARIABLE)), id,
				System.getenv(WorkerEnvironment.CONTROL_TOKEN_VARIABLE), new ControlClient.Listener() {

					@Override
					public void received(ControlMessage message) {
						if (message instanceof ControlMessage.Disconnect && !Boolean.getBoolean("fake.stubborn")) {
							disconnect.countDown();
						}
						else if (message instanceof ControlMessage.Message && Boolean.getBoolean("fake.stop-reading")) {
							stopReading();
						}
						else if (message instanceof ControlMessage.Message) {
							echo(self.get(), message);
						}
					}

					@Override
					public void closed(@Nullable Exception cause) {
						Runtime.getRuntime().halt(1);
					}

				});
		self.set(client);
		Thread.sleep(Long.getLong("fake.online-delay", 0));
		client.send(new ControlMessage.Online());
		client.send(new ControlMessage.Listening("127.0.0.1", 0));
		long failAfter = Long.getLong("fake.fail-after", -1);
		if (failAfter >= 0) {
			Thread.sleep(failAfter);
			Runtime.getRuntime().halt(1);
		}
		if (!Boolean.getBoolean("fake.never-ready")) {
			client.send(new ControlMessage.Ready());
		}
		ask(client, System.getProperty("fake.queries", ""));
		ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
		heartbeats.scheduleAtFixedRate(() -> {
			try {
				client.send(new ControlMessage.Heartbeat(0, 0, 0, 0));
			}
			catch (Exception ex) {
				Runtime.getRuntime().halt(1);
			}
		}, 200, 200, TimeUnit.MILLISECONDS);
		flood(client, Integer.getInteger("fake.flood", 0));
		disconnect.await();
		client.close();
		Runtime.getRuntime().halt(0);
	}

	private static void flood(ControlClient client, int messages) throws IOException {
		String padding = "x".repeat(Integer.getInteger("fake.flood-bytes", 0));
		for (int i = 0; i < messages; i++) {
			ObjectNode payload = JsonNodeFactory.instance.objectNode().put("n", i).put("padding", padding);
			while (!offer(client, new ControlMessage.Message(payload))) {
				client.flush(Duration.ofSeconds(1)); // the primary reads no more: wait for its queue to empty
			}
			Path progress = Path.of(System.getProperty("fake.progress-file"));
			Path next = Files.writeString(progress.resolveSibling(progress.getFileName() + ".next"),
					Integer.toString(i + 1));
			Files.move(next, progress, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static boolean offer(ControlClient client, ControlMessage message) throws IOException {
		try {
			client.send(message);
			return true;
		}
		catch (OutboundQueueFullException ex) {
			return false;
		}
	}

	private static void stopReading() {
		try {
			new CountDownLatch(1).await(); // the control channel's reader never comes back
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void ask(ControlClient client, String queries) throws IOException {
		for (String query : queries.split(",")) {
			if (query.isEmpty()) {
				continue;
			}
			String[] parts = query.split(":");
			String outcome;
			try {
				client.query(ControlMessage.Query.Operation.valueOf(parts[0]), Integer.parseInt(parts[1]),
						Duration.ofSeconds(5)).get();
				outcome = "ok";
			}
			catch (ExecutionException ex) {
				outcome = (ex.getCause() instanceof QueryRefusedException refused)
						? "refused " + refused.reason() + ": " + refused.getMessage() : "failed " + ex.getCause();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			client.send(new ControlMessage.Message(JsonNodeFactory.instance.stringNode(query + " " + outcome)));
		}
	}

	private static void echo(ControlClient client, ControlMessage message) {
		try {
			client.send(message);
		}
		catch (IOException ex) {
			Runtime.getRuntime().halt(2);
		}
	}

}
