package dev.bootcluster.sample;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.springframework.util.FileSystemUtils;

/**
 * The sample jar unpacked, to be run with {@code -cp} and its main class, as an IDE or
 * {@code spring-boot:run} runs an application.
 *
 * @param directory where the jar is unpacked
 */
record ExplodedJar(Path directory) {

	static ExplodedJar of(Path jar) throws IOException {
		Path directory = Path.of("target", "exploded").toAbsolutePath();
		Path unpackedFrom = directory.resolve(".unpacked-from");
		String built = Files.getLastModifiedTime(jar).toString();
		if (!Files.isRegularFile(unpackedFrom) || !Files.readString(unpackedFrom).equals(built)) {
			FileSystemUtils.deleteRecursively(directory); // a jar built since: unpack it again
			try (JarFile jarFile = new JarFile(jar.toFile())) {
				for (JarEntry entry : Collections.list(jarFile.entries())) {
					Path target = directory.resolve(entry.getName()).normalize();
					if (!target.startsWith(directory)) {
						throw new IOException("Entry outside the target directory: " + entry.getName());
					}
					if (entry.isDirectory()) {
						Files.createDirectories(target);
					}
					else {
						Files.createDirectories(target.getParent());
						try (InputStream in = jarFile.getInputStream(entry)) {
							Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
						}
					}
				}
			}
			Files.writeString(unpackedFrom, built);
		}
		return new ExplodedJar(directory);
	}

	/**
	 * The command line: {@code java}, the JVM options before {@code "--"}, the class path
	 * and main class, then the program arguments after it.
	 */
	List<String> command(String java, String... optionsThenArguments) {
		List<String> all = Arrays.asList(optionsThenArguments);
		int separator = all.indexOf("--");
		List<String> command = new ArrayList<>();
		command.add(java);
		command.add("--enable-native-access=ALL-UNNAMED");
		command.addAll(all.subList(0, separator));
		command.add("-cp");
		command.add(this.directory.resolve("BOOT-INF/classes") + File.pathSeparator
				+ this.directory.resolve("BOOT-INF/lib") + File.separator + "*");
		command.add("dev.bootcluster.sample.SampleApplication"); // not loadable here: tests run against the boot jar
		command.addAll(all.subList(separator + 1, all.size()));
		return command;
	}

}
