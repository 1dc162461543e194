package dev.bootcluster.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.bootcluster.ClusterRole;

import org.springframework.context.annotation.Conditional;

/**
 * Matches only in a JVM of the given role, e.g. to keep a heavy bean or a scheduled job to
 * the workers, or to the primary alone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnClusterRoleCondition.class)
public @interface ConditionalOnClusterRole {

	/**
	 * The role(s) that match.
	 * @return the roles
	 */
	ClusterRole[] value();

}
