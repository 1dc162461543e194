package dev.bootcluster.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.event.PrimaryMessageEvent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An admin notice board that every worker shows alike: a notice posted to any worker
 * goes to the primary, which broadcasts it to all ({@link NoticeBroadcaster}); each
 * worker keeps the latest ones.
 */
@RestController
class NoticeBoard {

	static final int KEPT = 20;

	private final Deque<Notice> notices = new ArrayDeque<>();

	private final ObjectProvider<ClusterMessenger> messenger;

	NoticeBoard(ObjectProvider<ClusterMessenger> messenger) {
		this.messenger = messenger;
	}

	@PostMapping("/notices")
	Notice post(@RequestParam String text) {
		Notice notice = new Notice(text, Cluster.isWorker() ? "worker-" + Cluster.workerId() : "standalone",
				Instant.now());
		ClusterMessenger messenger = this.messenger.getIfAvailable();
		if (messenger != null) {
			messenger.sendToPrimary(notice);
		}
		else {
			pin(notice); // standalone: no one else to tell
		}
		return notice;
	}

	@GetMapping("/notices")
	Map<String, Object> notices() {
		synchronized (this.notices) {
			return Map.of("worker", Cluster.workerId(), "notices", List.copyOf(this.notices));
		}
	}

	@EventListener
	void received(PrimaryMessageEvent event) {
		pin(event.payload(Notice.class));
	}

	private void pin(Notice notice) {
		synchronized (this.notices) {
			this.notices.addFirst(notice);
			while (this.notices.size() > KEPT) {
				this.notices.removeLast();
			}
		}
	}

}
