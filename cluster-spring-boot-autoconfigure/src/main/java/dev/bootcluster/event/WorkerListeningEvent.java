package dev.bootcluster.event;

import dev.bootcluster.Worker;

/**
 * A worker's web server accepts connections on the shared socket.
 */
public class WorkerListeningEvent extends WorkerEvent {

	private final String address;

	private final int port;

	public WorkerListeningEvent(Worker worker, String address, int port) {
		super(worker);
		this.address = address;
		this.port = port;
	}

	/**
	 * The address the worker accepts on: in relay mode over Unix domain sockets, the path
	 * of its main connector's socket.
	 * @return the address
	 */
	public String getAddress() {
		return this.address;
	}

	/**
	 * The port the worker accepts on: in relay mode over Unix domain sockets, the public
	 * port the primary relays to it.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

}
