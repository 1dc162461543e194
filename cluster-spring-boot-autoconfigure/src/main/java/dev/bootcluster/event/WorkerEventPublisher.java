package dev.bootcluster.event;

import dev.bootcluster.primary.Worker;
import dev.bootcluster.primary.WorkerExitCause;
import dev.bootcluster.primary.WorkerListener;
import dev.bootcluster.socket.ProcessExit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each step of each worker's lifecycle as an application event.
 */
public class WorkerEventPublisher implements WorkerListener {

	private final ApplicationEventPublisher publisher;

	private final JsonMapper jsonMapper;

	public WorkerEventPublisher(ApplicationEventPublisher publisher, JsonMapper jsonMapper) {
		this.publisher = publisher;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void forked(Worker worker) {
		this.publisher.publishEvent(new WorkerForkEvent(worker));
	}

	@Override
	public void online(Worker worker) {
		this.publisher.publishEvent(new WorkerOnlineEvent(worker));
	}

	@Override
	public void listening(Worker worker, String address, int port) {
		this.publisher.publishEvent(new WorkerListeningEvent(worker, address, port));
	}

	@Override
	public void ready(Worker worker) {
		this.publisher.publishEvent(new WorkerReadyEvent(worker));
	}

	@Override
	public void disconnecting(Worker worker) {
		this.publisher.publishEvent(new WorkerDisconnectEvent(worker));
	}

	@Override
	public void exited(Worker worker, ProcessExit exit, WorkerExitCause cause) {
		this.publisher.publishEvent(new WorkerExitEvent(worker, exit, cause));
	}

	@Override
	public void message(Worker worker, JsonNode payload) {
		this.publisher.publishEvent(new WorkerMessageEvent(worker, payload, this.jsonMapper));
	}

	@Override
	public void errored(Worker lastWorker, int failures) {
		this.publisher.publishEvent(new WorkerSlotErroredEvent(lastWorker, failures));
	}

}
