package dev.bootcluster.socket;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Set;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.BeansException;
import org.springframework.util.ReflectionUtils;

/**
 * Makes a connector on the shared socket out of one the application configured: a
 * connector's protocol handler is fixed when it is made, so the worker makes a new one of
 * {@link SharedSocketProtocol} and copies onto it what the application set, the way
 * Tomcat's own configuration sets it: the connector's and the protocol's properties, the
 * socket options, the TLS host configurations and the upgrade protocols (HTTP/2).
 */
final class ConnectorCopy {

	/** Where the connector stands in its server, set when it is added, not configured. */
	private static final Set<String> CONNECTOR_SKIPS = Set.of("service", "domain", "port");

	/**
	 * Set by the connector when it starts ({@code adapter}), created on first read
	 * ({@code utilityExecutor}), or how the copy gets its socket, which the caller decides.
	 */
	private static final Set<String> PROTOCOL_SKIPS = Set.of("adapter", "utilityExecutor", "domain",
			"useInheritedChannel");

	private static final Method GET_ENDPOINT = endpointAccessor();

	private ConnectorCopy() {
	}

	/**
	 * A connector of {@link SharedSocketProtocol} configured as the given one.
	 * @param source a connector of Tomcat's {@link Http11NioProtocol}, not started
	 * @return the copy, listening where the source did until the caller says otherwise
	 * @throws IllegalStateException if the source has another protocol or a setting
	 * cannot be copied
	 */
	static Connector of(Connector source) {
		if (!(source.getProtocolHandler() instanceof Http11NioProtocol protocol)
				|| protocol.getClass() != Http11NioProtocol.class) {
			throw new IllegalStateException("The additional connector on port " + source.getPort() + " uses "
					+ source.getProtocolHandler().getClass().getName() + ": a cluster shares connectors of Tomcat's "
					+ Http11NioProtocol.class.getName() + " (HTTP/1.1, with or without TLS and HTTP/2) only");
		}
		SharedSocketProtocol sharedProtocol = new SharedSocketProtocol();
		Connector copy = new Connector(sharedProtocol);
		String where = "the additional connector on port " + source.getPort();
		copyProperties(source, copy, CONNECTOR_SKIPS, where);
		copy.setPort(source.getPort());
		copyProperties(protocol, sharedProtocol, PROTOCOL_SKIPS, where);
		copyProperties(endpoint(protocol).getSocketProperties(),
				sharedProtocol.sharedSocketEndpoint().getSocketProperties(), Set.of(), where);
		for (SSLHostConfig sslHostConfig : protocol.findSslHostConfigs()) {
			sharedProtocol.addSslHostConfig(sslHostConfig);
		}
		for (UpgradeProtocol upgradeProtocol : protocol.findUpgradeProtocols()) {
			sharedProtocol.addUpgradeProtocol(upgradeProtocol);
		}
		return copy;
	}

	/**
	 * Sets on the target every property the source has a different value of.
	 */
	private static void copyProperties(Object source, Object target, Set<String> skips, String where) {
		BeanWrapper from = new BeanWrapperImpl(source);
		BeanWrapper to = new BeanWrapperImpl(target);
		for (PropertyDescriptor property : from.getPropertyDescriptors()) {
			String name = property.getName();
			if (skips.contains(name) || !from.isReadableProperty(name) || !to.isReadableProperty(name)
					|| !to.isWritableProperty(name)) {
				continue;
			}
			Object value;
			try {
				value = from.getPropertyValue(name);
			}
			catch (BeansException ex) {
				continue; // a getter that fails on what was never set (an unset Boolean, in older Tomcats)
			}
			try {
				if (!Objects.equals(value, currentValue(to, name))) {
					to.setPropertyValue(name, value);
				}
			}
			catch (BeansException ex) {
				throw new IllegalStateException("Cannot copy the property '" + name + "' of " + where
						+ " to the worker's connector on the shared socket", ex);
			}
		}
	}

	private static @Nullable Object currentValue(BeanWrapper wrapper, String name) {
		try {
			return wrapper.getPropertyValue(name);
		}
		catch (BeansException ex) {
			return null; // unset: whatever the source has differs
		}
	}

	private static AbstractEndpoint<?, ?> endpoint(AbstractProtocol<?> protocol) {
		return (AbstractEndpoint<?, ?>) ReflectionUtils.invokeMethod(GET_ENDPOINT, protocol);
	}

	// The socket options live on the endpoint, which Tomcat keeps protected.
	private static Method endpointAccessor() {
		Method method = ReflectionUtils.findMethod(AbstractProtocol.class, "getEndpoint");
		if (method == null) {
			throw new IllegalStateException("This Tomcat's AbstractProtocol has no getEndpoint()");
		}
		ReflectionUtils.makeAccessible(method);
		return method;
	}

}
