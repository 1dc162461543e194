package dev.bootcluster.launch;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the JVM keeps of a training run for the next starts, and the options that record it,
 * use it and check it: on Java 25 and later an AOT cache (JEP 483, 514 and 515: classes
 * loaded and linked ahead of time, and method profiles), before that a dynamic CDS archive
 * (classes parsed ahead of time).
 */
enum AotCacheFormat {

	/** Java 25 and later: recorded in one training run ({@code -XX:AOTCacheOutput}). */
	AOT_CACHE("app.aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=", "-XX:AOTMode=on"),

	/** Java 17 to 24: a dynamic archive of the classes loaded ({@code -XX:ArchiveClassesAtExit}). */
	CDS_ARCHIVE("app.jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "-Xshare:on");

	/** Options by which the user chose a cache or an archive, or no sharing at all. */
	private static final List<String> USER_CHOICES = List.of("-XX:AOTCache", "-XX:AOTCacheOutput",
			"-XX:AOTConfiguration", "-XX:AOTMode", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:+AutoCreateSharedArchive", "-Xshare:");

	private final String fileName;

	private final String record;

	private final String use;

	private final String require;

	AotCacheFormat(String fileName, String record, String use, String require) {
		this.fileName = fileName;
		this.record = record;
		this.use = use;
		this.require = require;
	}

	/**
	 * The format the given Java release records.
	 * @param feature the Java release ({@code Runtime.version().feature()})
	 * @return the format
	 */
	static AotCacheFormat of(int feature) {
		return (feature >= 25) ? AOT_CACHE : CDS_ARCHIVE;
	}

	/** The cache's file in an entry of the store. */
	Path file(Path entry) {
		return entry.resolve(this.fileName);
	}

	/** The option of the training run that writes the cache when the JVM exits. */
	String record(Path file) {
		return this.record + file;
	}

	/**
	 * The options that start a JVM with the cache: the JVM checks it and starts without it
	 * when it does not match (it prints why).
	 */
	String use(Path file) {
		return this.use + file;
	}

	/** The options with which a JVM fails to start, instead, if it cannot use the cache. */
	List<String> require(Path file) {
		return List.of(use(file), this.require);
	}

	/**
	 * The first of the JVM options by which the user chose a cache or an archive of their
	 * own, or none.
	 * @param options the JVM options
	 * @return the option, or {@code null}
	 */
	static @Nullable String userChoice(List<String> options) {
		for (String option : options) {
			if (USER_CHOICES.stream().anyMatch(option::startsWith)) {
				return option;
			}
		}
		return null;
	}

}
