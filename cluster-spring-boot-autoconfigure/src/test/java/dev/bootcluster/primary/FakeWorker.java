package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.bootcluster.Cluster;
import dev.bootcluster.ipc.ControlClient;
import dev.bootcluster.ipc.ControlMessage;
import org.jspecify.annotations.Nullable;

/**
 * A worker process without Spring: speaks the control channel as a real worker does
 * (online, listening, ready, heartbeats; exits on disconnect or when the primary is gone),
 * so that {@link ClusterPrimaryIT} can start many quickly. {@code -Dfake.never-ready=true}
 * makes it never report ready, {@code -Dfake.stubborn=true} ignore disconnects,
 * {@code -Dfake.connect-delay=<ms>} and {@code -Dfake.online-delay=<ms>} wait before it
 * connects and between connecting and saying it is online.
 */
public final class FakeWorker {

	private FakeWorker() {
	}

	public static void main(String[] args) throws Exception {
		int id = Integer.parseInt(System.getenv(Cluster.WORKER_ID_VARIABLE));
		CountDownLatch disconnect = new CountDownLatch(1);
		AtomicReference<ControlClient> self = new AtomicReference<>();
		Thread.sleep(Long.getLong("fake.connect-delay", 0));
		ControlClient client = ControlClient.connect(Path.of(System.getenv(Cluster.CONTROL_SOCKET_VARIABLE)), id,
				System.getenv(Cluster.CONTROL_TOKEN_VARIABLE), new ControlClient.Listener() {

					@Override
					public void received(ControlMessage message) {
						if (message instanceof ControlMessage.Disconnect && !Boolean.getBoolean("fake.stubborn")) {
							disconnect.countDown();
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
		if (!Boolean.getBoolean("fake.never-ready")) {
			client.send(new ControlMessage.Ready());
		}
		ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
		heartbeats.scheduleAtFixedRate(() -> {
			try {
				client.send(new ControlMessage.Heartbeat(0, 0, 0, 0));
			}
			catch (Exception ex) {
				Runtime.getRuntime().halt(1);
			}
		}, 200, 200, TimeUnit.MILLISECONDS);
		disconnect.await();
		client.close();
		Runtime.getRuntime().halt(0);
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
