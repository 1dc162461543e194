package dev.bootcluster.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.bootcluster.ClusterMessenger;
import dev.bootcluster.ClusterRole;
import dev.bootcluster.autoconfigure.ConditionalOnClusterRole;
import dev.bootcluster.event.WorkerExitEvent;
import dev.bootcluster.event.WorkerMessageEvent;
import dev.bootcluster.event.WorkerOnlineEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * In the primary: passes each notice a worker posts on to every worker, posts one itself
 * when a worker crashes, and gives each new worker the notices so far, so that every
 * worker's board shows the same.
 */
@Component
@ConditionalOnClusterRole(ClusterRole.PRIMARY)
class NoticeBroadcaster {

	private final ClusterMessenger messenger;

	private final Deque<Notice> notices = new ArrayDeque<>();

	NoticeBroadcaster(ClusterMessenger messenger) {
		this.messenger = messenger;
	}

	@EventListener
	void posted(WorkerMessageEvent event) {
		broadcast(event.payload(Notice.class));
	}

	@EventListener
	void exited(WorkerExitEvent event) {
		if (event.getCause().isFailure()) {
			broadcast(new Notice("Worker " + event.getWorker().id() + " ended (" + event.getCause().toValue() + ", "
					+ ((event.getSignal() != null) ? event.getSignal() : "exit code " + event.getExitCode())
					+ "); the cluster replaces it", "primary", Instant.now()));
		}
	}

	@EventListener
	void online(WorkerOnlineEvent event) {
		for (Notice notice : recent()) {
			this.messenger.send(event.getWorker().id(), notice);
		}
	}

	private void broadcast(Notice notice) {
		synchronized (this.notices) {
			this.notices.addLast(notice);
			while (this.notices.size() > NoticeBoard.KEPT) {
				this.notices.removeFirst();
			}
		}
		this.messenger.broadcast(notice);
	}

	private List<Notice> recent() {
		synchronized (this.notices) {
			return List.copyOf(this.notices);
		}
	}

}
