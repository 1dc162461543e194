package dev.bootcluster.socket;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.tomcat.TomcatWebServerFactory;

/**
 * Puts a worker's connectors on the sockets the primary shares, once every customizer of
 * the application has run, where its {@link WorkerSocket} says. Additional connectors
 * ({@code factory.addAdditionalConnectors(...)}) are made anew on
 * {@link SharedSocketProtocol} (see {@link ConnectorCopy}), so that they drain as the main
 * connector does.
 */
public final class SharedConnectors implements BeanPostProcessor {

	private final WorkerSocket socket;

	/**
	 * Shares the connectors as the given socket says.
	 * @param socket the worker's half of the mode its primary chose
	 */
	public SharedConnectors(WorkerSocket socket) {
		this.socket = socket;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof TomcatWebServerFactory factory) {
			this.socket.share(factory);
		}
		return bean;
	}

}
