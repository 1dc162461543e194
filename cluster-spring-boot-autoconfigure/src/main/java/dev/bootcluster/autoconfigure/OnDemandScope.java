package dev.bootcluster.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * A singleton that exists only once asked for. Spring creates some beans early whether
 * lazy or not: every {@code LoadTimeWeaverAware} singleton, a JPA entity manager factory
 * among them, before any other. A lean primary gives those that only serve requests this
 * scope, in which they are no singletons to that early pass yet one instance each when a
 * bean needs them; the context's close destroys them as it would singletons.
 */
final class OnDemandScope implements Scope, DisposableBean {

	static final String NAME = "clusterPrimaryOnDemand";

	private final Map<String, Object> instances = new LinkedHashMap<>();

	private final Map<String, Runnable> destructionCallbacks = new LinkedHashMap<>();

	@Override
	public synchronized Object get(String name, ObjectFactory<?> objectFactory) {
		Object instance = this.instances.get(name);
		if (instance == null) {
			instance = objectFactory.getObject();
			this.instances.put(name, instance);
		}
		return instance;
	}

	@Override
	public synchronized @Nullable Object remove(String name) {
		this.destructionCallbacks.remove(name);
		return this.instances.remove(name);
	}

	@Override
	public synchronized void registerDestructionCallback(String name, Runnable callback) {
		this.destructionCallbacks.put(name, callback);
	}

	@Override
	public @Nullable Object resolveContextualObject(String key) {
		return null;
	}

	@Override
	public @Nullable String getConversationId() {
		return null;
	}

	synchronized boolean contains(String name) {
		return this.instances.containsKey(name);
	}

	@Override
	public void destroy() {
		List<Runnable> callbacks;
		synchronized (this) {
			callbacks = new ArrayList<>(this.destructionCallbacks.values());
			this.destructionCallbacks.clear();
			this.instances.clear();
		}
		Collections.reverse(callbacks);
		callbacks.forEach(Runnable::run);
	}

}
