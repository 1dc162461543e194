package dev.bootcluster.sample;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bootcluster.Cluster;
import dev.bootcluster.event.ClusterWorkerDrainingEvent;
import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A server-sent event stream of ticks, five a second, that lasts until the client leaves.
 * When this worker drains, each stream gets a last {@code reconnect} event and ends, so the
 * drain is not held up and the client reconnects to a sibling. A stream asked for with
 * {@code outliveDrain=true} ignores the drain, to show that {@code kill-timeout} bounds it.
 */
@RestController
class TickStream {

	private static final Log logger = LogFactory.getLog(TickStream.class);

	private final Set<SseEmitter> streams = ConcurrentHashMap.newKeySet();

	private final Set<SseEmitter> outliving = ConcurrentHashMap.newKeySet();

	private final AtomicLong ticks = new AtomicLong();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "ticker");
		thread.setDaemon(true);
		return thread;
	});

	TickStream() {
		this.ticker.scheduleAtFixedRate(this::tick, 200, 200, TimeUnit.MILLISECONDS);
	}

	@GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter ticks(@RequestParam(defaultValue = "false") boolean outliveDrain) {
		SseEmitter stream = new SseEmitter(0L); // no timeout: it lasts until closed
		(outliveDrain ? this.outliving : this.streams).add(stream);
		Runnable forget = () -> {
			this.streams.remove(stream);
			this.outliving.remove(stream);
		};
		stream.onCompletion(forget);
		stream.onError((ex) -> forget.run());
		return stream;
	}

	@EventListener(ClusterWorkerDrainingEvent.class)
	void draining() {
		int closed = 0;
		for (SseEmitter stream : this.streams) {
			send(stream, SseEmitter.event().name("reconnect").data("worker " + Cluster.workerId() + " is draining"));
			stream.complete();
			closed++;
		}
		logger.info("Draining: closed " + closed + " event stream(s), left " + this.outliving.size() + " open");
	}

	private void tick() {
		long tick = this.ticks.incrementAndGet();
		for (Set<SseEmitter> set : List.of(this.streams, this.outliving)) {
			for (SseEmitter stream : set) {
				send(stream, SseEmitter.event().name("tick").data("worker " + Cluster.workerId() + " tick " + tick));
			}
		}
	}

	private void send(SseEmitter stream, SseEmitter.SseEventBuilder event) {
		try {
			stream.send(event);
		}
		catch (IOException | IllegalStateException ex) {
			// the client left, or the stream was completed: it is forgotten by its callbacks
			stream.completeWithError(ex);
		}
	}

	@PreDestroy
	void stop() {
		this.ticker.shutdownNow();
	}

}
