package dev.bootcluster.autoconfigure;

import java.util.Arrays;
import java.util.Map;

import dev.bootcluster.Cluster;
import dev.bootcluster.ClusterRole;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnClusterRole}.
 */
class OnClusterRoleCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnClusterRole.class.getName());
		ClusterRole[] roles = (ClusterRole[]) attributes.get("value");
		ClusterRole role = Cluster.role(context.getEnvironment());
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnClusterRole.class,
				Arrays.toString(roles));
		return Arrays.asList(roles).contains(role) ? ConditionOutcome.match(message.because("role is " + role))
				: ConditionOutcome.noMatch(message.because("role is " + role));
	}

}
