package dev.bootcluster;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package map of CONTRIBUTING.md, checked: which package may use which, no cycles,
 * and a public API of the vocabulary, the events, actuator's types and the
 * auto-configuration only.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.bootcluster");

	// CONTRIBUTING.md's package map: the API's packages, then the internal ones
	private static final List<String> API_PACKAGES = List.of("", "event", "actuate", "autoconfigure");

	private static final List<String> INTERNAL = List.of("supervision", "launch", "process", "socket", "ipc",
			"metrics", "worker", "thread");

	@Test
	void packagesUseOnlyThoseBelowThem() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.ensureAllClassesAreContainedInArchitecture()
			.layer("vocabulary").definedBy("dev.bootcluster")
			.layer("thread").definedBy("dev.bootcluster.thread")
			.layer("event").definedBy("dev.bootcluster.event")
			.layer("actuate").definedBy("dev.bootcluster.actuate")
			.layer("ipc").definedBy("dev.bootcluster.ipc")
			.layer("process").definedBy("dev.bootcluster.process")
			.layer("socket").definedBy("dev.bootcluster.socket")
			.layer("launch").definedBy("dev.bootcluster.launch")
			.layer("metrics").definedBy("dev.bootcluster.metrics")
			.layer("supervision").definedBy("dev.bootcluster.supervision")
			.layer("worker").definedBy("dev.bootcluster.worker")
			.layer("autoconfigure").definedBy("dev.bootcluster.autoconfigure")
			.whereLayer("vocabulary").mayNotAccessAnyLayer()
			.whereLayer("thread").mayNotAccessAnyLayer()
			.whereLayer("event").mayOnlyAccessLayers("vocabulary")
			.whereLayer("actuate").mayOnlyAccessLayers("vocabulary", "event")
			.whereLayer("ipc").mayOnlyAccessLayers("vocabulary", "thread")
			.whereLayer("process").mayOnlyAccessLayers("vocabulary", "thread")
			.whereLayer("socket").mayOnlyAccessLayers("vocabulary", "process", "thread")
			.whereLayer("launch").mayOnlyAccessLayers("vocabulary", "process", "thread")
			.whereLayer("metrics").mayOnlyAccessLayers("vocabulary", "ipc", "thread")
			.whereLayer("supervision")
			.mayOnlyAccessLayers("vocabulary", "event", "ipc", "process", "socket", "launch", "thread")
			.whereLayer("worker").mayOnlyAccessLayers("vocabulary", "event", "ipc", "socket", "thread")
			.check(classes);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.bootcluster.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void publicTypesOutsideTheInternalPackagesAreTheApi() {
		Set<String> api = new TreeSet<>();
		for (JavaClass type : classes) {
			String pkg = type.getPackageName().replaceFirst("^dev\\.bootcluster\\.?", "");
			assertThat(pkg).as(type.getName()).isIn(Stream.concat(API_PACKAGES.stream(), INTERNAL.stream()).toList());
			if (type.isTopLevelClass() && type.getModifiers().contains(JavaModifier.PUBLIC)
					&& API_PACKAGES.contains(pkg)) {
				api.add(type.getName().replaceFirst("^dev\\.bootcluster\\.", ""));
			}
		}
		assertThat(api).containsExactly(API.toArray(String[]::new));
	}

	private static final Set<String> API = new TreeSet<>(List.of(
			// the vocabulary
			"Cluster", "ClusterMessenger", "ClusterOperations", "ClusterRole", "ClusterSnapshot",
			"MessageDeliveryException", "NoSuchWorkerException", "PrimaryUnreachableException", "RelayTransport",
			"SocketMode", "Worker",
			"WorkerCount", "WorkerExitCause", "WorkerLoad", "WorkerState",
			// the events
			"event.ClusterEvent", "event.ClusterWorkerDrainingEvent", "event.PrimaryMessageEvent",
			"event.WorkerDisconnectEvent", "event.WorkerEvent", "event.WorkerExitEvent", "event.WorkerForkEvent",
			"event.WorkerListeningEvent", "event.WorkerMessageEvent", "event.WorkerOnlineEvent",
			"event.WorkerReadyEvent", "event.WorkerSlotErroredEvent",
			// what actuator shows
			"actuate.ClusterDescriptor", "actuate.ClusterEndpoint", "actuate.ClusterHealthIndicator",
			"actuate.ClusterLoggersEndpoint", "actuate.ClusterMetrics",
			// the auto-configuration, its properties and condition
			"autoconfigure.ClusterAutoConfiguration", "autoconfigure.ClusterEndpointAutoConfiguration",
			"autoconfigure.ClusterHealthContributorAutoConfiguration",
			"autoconfigure.ClusterLoggersEndpointAutoConfiguration", "autoconfigure.ClusterMetricsAutoConfiguration",
			"autoconfigure.ClusterProperties", "autoconfigure.ConditionalOnClusterRole"));

}
