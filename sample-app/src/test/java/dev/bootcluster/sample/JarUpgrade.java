package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A new release of the sample jar, as a rebuild with a changed response would make it:
 * the same jar with another {@code sample.greeting} in its {@code application.yml}.
 */
final class JarUpgrade {

	private static final String CONFIG = "BOOT-INF/classes/application.yml";

	private JarUpgrade() {
	}

	/**
	 * Replaces {@code jar} on disk, atomically, by a release that greets differently.
	 */
	static void install(Path jar, String greeting) throws IOException {
		Path next = jar.resolveSibling(jar.getFileName() + ".next");
		try (ZipFile source = new ZipFile(jar.toFile());
				ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(next))) {
			for (ZipEntry entry : Collections.list(source.entries())) {
				try (InputStream in = source.getInputStream(entry)) {
					byte[] content = in.readAllBytes();
					if (entry.getName().equals(CONFIG)) {
						content = new String(content, StandardCharsets.UTF_8)
							.replace("greeting: hello", "greeting: " + greeting)
							.getBytes(StandardCharsets.UTF_8);
					}
					out.putNextEntry(copyOf(entry, content));
					out.write(content);
					out.closeEntry();
				}
			}
		}
		Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	// Nested jars must stay stored (uncompressed) for Spring Boot's loader.
	private static ZipEntry copyOf(ZipEntry entry, byte[] content) {
		ZipEntry copy = new ZipEntry(entry.getName());
		copy.setTime(entry.getTime());
		if (entry.getMethod() == ZipEntry.STORED) {
			CRC32 crc = new CRC32();
			crc.update(content);
			copy.setMethod(ZipEntry.STORED);
			copy.setSize(content.length);
			copy.setCompressedSize(content.length);
			copy.setCrc(crc.getValue());
		}
		return copy;
	}

}
