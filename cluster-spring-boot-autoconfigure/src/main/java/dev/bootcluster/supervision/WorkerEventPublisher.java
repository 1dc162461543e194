package dev.bootcluster.supervision;

import dev.bootcluster.WorkerExitCause;
import dev.bootcluster.event.WorkerDisconnectEvent;
import dev.bootcluster.event.WorkerExitEvent;
import dev.bootcluster.event.WorkerForkEvent;
import dev.bootcluster.event.WorkerListeningEvent;
import dev.bootcluster.event.WorkerMessageEvent;
import dev.bootcluster.event.WorkerOnlineEvent;
import dev.bootcluster.event.WorkerReadyEvent;
import dev.bootcluster.event.WorkerSlotErroredEvent;
import dev.bootcluster.process.ProcessExit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each step of each worker's lifecycle as an application event.
 */
final class WorkerEventPublisher implements WorkerListener {

	private final ApplicationEventPublisher publisher;

	private final JsonMapper jsonMapper;

	WorkerEventPublisher(ApplicationEventPublisher publisher, JsonMapper jsonMapper) {
		this.publisher = publisher;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void forked(SupervisedWorker worker) {
		this.publisher.publishEvent(new WorkerForkEvent(worker));
	}

	@Override
	public void online(SupervisedWorker worker) {
		this.publisher.publishEvent(new WorkerOnlineEvent(worker));
	}

	@Override
	public void listening(SupervisedWorker worker, String address, int port) {
		this.publisher.publishEvent(new WorkerListeningEvent(worker, address, port));
	}

	@Override
	public void ready(SupervisedWorker worker) {
		this.publisher.publishEvent(new WorkerReadyEvent(worker));
	}

	@Override
	public void disconnecting(SupervisedWorker worker) {
		this.publisher.publishEvent(new WorkerDisconnectEvent(worker));
	}

	@Override
	public void exited(SupervisedWorker worker, ProcessExit exit, WorkerExitCause cause) {
		this.publisher.publishEvent(new WorkerExitEvent(worker, exit.code(), exit.signal(), cause));
	}

	@Override
	public void message(SupervisedWorker worker, JsonNode payload) {
		this.publisher.publishEvent(new WorkerMessageEvent(worker, payload, this.jsonMapper));
	}

	@Override
	public void errored(SupervisedWorker lastWorker, int failures) {
		this.publisher.publishEvent(new WorkerSlotErroredEvent(lastWorker, failures));
	}

}
