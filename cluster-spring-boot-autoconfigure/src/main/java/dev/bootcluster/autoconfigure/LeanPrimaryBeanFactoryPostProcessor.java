package dev.bootcluster.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;
import org.springframework.context.weaving.LoadTimeWeaverAware;
import org.springframework.core.Ordered;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ClassUtils;

/**
 * Keeps the primary lean on a data-backed application. Lazy initialisation alone does
 * not: Spring Boot leaves {@code SmartInitializingSingleton} beans eager, and a JPA
 * {@code EntityManagerFactory} bean is one, so Hibernate bootstraps (and repositories
 * follow). Run after {@link org.springframework.boot.LazyInitializationBeanFactoryPostProcessor},
 * this makes lazy the beans that only serve requests (entity manager factories, Spring
 * Data repositories, connection pools, cache managers), so that the primary creates them
 * only if a bean it uses needs them (those that Spring would create early all the same,
 * as {@code LoadTimeWeaverAware}, get the {@link OnDemandScope}), and makes eager the database initializers that
 * Spring Boot knows of (Flyway, Liquibase, SQL init scripts and the schema scripts of
 * Spring Session, Batch or Quartz, as found by each module's
 * {@link DatabaseInitializerDetector}): those run in the primary, once, before it forks a
 * worker, and workers skip them.
 */
final class LeanPrimaryBeanFactoryPostProcessor implements BeanFactoryPostProcessor, Ordered {

	/**
	 * What only serves requests, by class name: each module is optional.
	 */
	static final List<String> SERVING_TYPES = List.of("jakarta.persistence.EntityManagerFactory",
			"org.springframework.orm.jpa.AbstractEntityManagerFactoryBean",
			"org.springframework.data.repository.Repository",
			"org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport", "javax.sql.DataSource",
			"org.springframework.cache.CacheManager");

	private static final String DETECTOR = "org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector";

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		ClassLoader classLoader = Objects.requireNonNullElse(beanFactory.getBeanClassLoader(),
				ClassUtils.getDefaultClassLoader());
		List<Class<?>> servingTypes = SERVING_TYPES.stream()
			.filter((name) -> ClassUtils.isPresent(name, classLoader))
			.<Class<?>>map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toList();
		Set<String> initializers = databaseInitializers(beanFactory, classLoader);
		OnDemandScope onDemand = new OnDemandScope();
		boolean onDemandUsed = false;
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE || !definition.isSingleton()) {
				continue;
			}
			if (initializers.contains(name)) {
				definition.setLazyInit(false);
			}
			else if (isServing(beanFactory, name, definition, servingTypes)) {
				definition.setLazyInit(true);
				if (beanFactory.isTypeMatch(BeanFactory.FACTORY_BEAN_PREFIX + name, LoadTimeWeaverAware.class)
						|| isA(beanFactory.getType(name, false), LoadTimeWeaverAware.class)) {
					definition.setScope(OnDemandScope.NAME); // else created early, lazy or not
					onDemandUsed = true;
				}
			}
		}
		if (onDemandUsed) {
			beanFactory.registerScope(OnDemandScope.NAME, onDemand);
			if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
				registry.registerDisposableBean(OnDemandScope.NAME, onDemand);
			}
		}
	}

	private static Set<String> databaseInitializers(ConfigurableListableBeanFactory beanFactory,
			ClassLoader classLoader) {
		return ClassUtils.isPresent(DETECTOR, classLoader) ? Initializers.detect(beanFactory, classLoader) : Set.of();
	}

	private static boolean isServing(ConfigurableListableBeanFactory beanFactory, String name,
			BeanDefinition definition, List<Class<?>> servingTypes) {
		Class<?> declared = definition.getResolvableType().resolve();
		Class<?> product = beanFactory.getType(name, false);
		return servingTypes.stream().anyMatch((type) -> isA(declared, type) || isA(product, type));
	}

	private static boolean isA(@Nullable Class<?> candidate, Class<?> type) {
		return candidate != null && type.isAssignableFrom(candidate);
	}

	/**
	 * Loaded only when spring-boot-sql is on the class path.
	 */
	private static final class Initializers {

		static Set<String> detect(ConfigurableListableBeanFactory beanFactory, ClassLoader classLoader) {
			Set<String> names = new HashSet<>();
			for (DatabaseInitializerDetector detector : SpringFactoriesLoader.forDefaultResourceLocation(classLoader)
				.load(DatabaseInitializerDetector.class)) {
				names.addAll(detector.detect(beanFactory));
			}
			return names;
		}

	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1; // right after Spring Boot's lazy initialization
	}

}
