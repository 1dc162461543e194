package dev.bootcluster.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.log.LogMessage;

/**
 * Once the primary's singletons exist (its migrations done, before it forks a worker),
 * closes the connections its Hikari pools opened for them. The pools stay usable: the
 * primary's environment gives them no minimum of idle connections, so a primary-only
 * bean that uses the database opens one when it needs it and the pool retires it once
 * idle.
 */
final class PrimaryConnectionRelease implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PrimaryConnectionRelease.class);

	private final ConfigurableListableBeanFactory beanFactory;

	PrimaryConnectionRelease(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String name : this.beanFactory.getBeanNamesForType(HikariDataSource.class, false, false)) {
			if (!this.beanFactory.containsSingleton(name)) {
				continue; // never created: nothing to release
			}
			HikariDataSource dataSource = this.beanFactory.getBean(name, HikariDataSource.class);
			HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
			if (pool != null) {
				int connections = pool.getTotalConnections();
				pool.softEvictConnections();
				logger.info(LogMessage.format("Released the primary's %d connection(s) of data source '%s'",
						connections, name));
			}
		}
	}

}
