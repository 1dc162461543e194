package dev.bootcluster.socket;

import java.util.Map;

import org.springframework.boot.tomcat.TomcatWebServerFactory;

/**
 * A worker's half of the shared sockets: how its Tomcat takes the connections the primary
 * shares. One implementation per mode, chosen once from the environment the primary
 * started the worker with, as the primary's {@link SharedSocket} is chosen when it binds:
 * nothing outside this package knows which.
 */
public interface WorkerSocket {

	/**
	 * The worker's half of the mode its primary chose: relay if the primary said so when
	 * it started this worker, else inherit.
	 * @param environment the worker's environment, as {@link System#getenv()} gives it
	 * @return the worker's socket
	 */
	static WorkerSocket fromEnvironment(Map<String, String> environment) {
		if (ModeMarker.relayed(environment)) {
			return RelayedWorkerSocket.fromEnvironment(environment);
		}
		return new InheritedWorkerSocket(() -> InheritedChannels.open(environment));
	}

	/**
	 * Sets up how the factory makes its main connector, before the application's own
	 * customizers: on {@link SharedSocketProtocol}, accepting where this mode says.
	 * @param factory the worker's web server factory
	 */
	void customize(TomcatWebServerFactory factory);

	/**
	 * Puts the factory's connectors on the sockets the primary shares, once every
	 * customizer of the application has run (see {@link SharedConnectors}).
	 * @param factory the worker's web server factory
	 * @throws IllegalStateException if the application's connectors do not match what
	 * the primary shares
	 */
	void share(TomcatWebServerFactory factory);

}
