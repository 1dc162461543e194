package dev.bootcluster.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the configuration metadata in the built jar, as an IDE reads it: every
 * {@code cluster.*} property that binds is described, with its default where it has one.
 */
class ConfigurationMetadataIT {

	/**
	 * Properties whose default is "none" (empty collections, or no limit) or depends on the
	 * machine (its description says how).
	 */
	private static final Set<String> NO_DEFAULT = Set.of("cluster.worker.env", "cluster.worker.jvm-args",
			"cluster.worker.max-heap", "cluster.max-workers", "cluster.worker.aot-cache.directory",
			"cluster.worker.warmup.paths");

	@Test
	void everyClusterPropertyIsDescribedWithItsDefault() throws IOException {
		Map<String, JsonNode> metadata = metadataInTheJar();
		List<String> bound = boundProperties("cluster", ClusterProperties.class);
		assertThat(bound).contains("cluster.workers", "cluster.min-ready", "cluster.worker.boot-timeout",
				"cluster.restart.max-restarts", "cluster.rolling.batch-size");
		assertThat(metadata.keySet().stream().filter((name) -> name.startsWith("cluster.")))
			.containsExactlyInAnyOrderElementsOf(bound);
		for (String name : bound) {
			JsonNode property = metadata.get(name);
			assertThat(property.path("description").asString()).as(name).isNotBlank();
			assertThat(property.path("type").asString()).as(name).isNotBlank();
			if (!NO_DEFAULT.contains(name)) {
				assertThat(property.has("defaultValue")).as(name + " has a default").isTrue();
			}
		}
		assertThat(metadata.get("cluster.max-workers").path("description").asString())
			.contains("4 per processor available to the JVM, at most 64");
		assertThat(metadata.get("management.endpoint.cluster.access").path("defaultValue").asString())
			.isEqualTo("read_only");
		assertThat(metadata.keySet()).contains("management.health.cluster.enabled");
	}

	private static Map<String, JsonNode> metadataInTheJar() throws IOException {
		try (JarFile jar = new JarFile(builtJar().toFile())) {
			try (InputStream json = jar.getInputStream(jar.getEntry("META-INF/spring-configuration-metadata.json"))) {
				Map<String, JsonNode> properties = new HashMap<>();
				JsonMapper.builder().build().readTree(json).get("properties")
					.forEach((property) -> properties.put(property.get("name").asString(), property));
				return properties;
			}
		}
	}

	private static Path builtJar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"),
				"cluster-spring-boot-autoconfigure-*[0-9T].jar")) {
			return jars.iterator().next();
		}
	}

	/** Whether a type is a group of properties: a class nested in {@link ClusterProperties}. */
	private static boolean isGroup(Class<?> type) {
		for (Class<?> outer = type.getDeclaringClass(); outer != null; outer = outer.getDeclaringClass()) {
			if (outer == ClusterProperties.class) {
				return !type.isEnum();
			}
		}
		return false;
	}

	/**
	 * The properties that bind to a type, nested groups (its member classes) walked.
	 */
	private static List<String> boundProperties(String prefix, Class<?> type) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
			Class<?> propertyType = descriptor.getPropertyType();
			if (isGroup(propertyType)) {
				names.addAll(boundProperties(name, propertyType));
			}
			else if (descriptor.getWriteMethod() != null || Map.class.isAssignableFrom(propertyType)
					|| List.class.isAssignableFrom(propertyType)) {
				names.add(name);
			}
		}
		return names;
	}

}
