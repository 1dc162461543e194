package dev.bootcluster.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.util.FileSystemUtils;

/**
 * The directory that keeps the workers' AOT caches, one entry (a directory) for each
 * version of each application: named {@code <application>-<version>}, the application
 * being the jars' paths and the JDK's, the version their sizes and times and the JDK's. An entry is built under
 * an exclusive file lock and used under a shared one, held until the primary exits, so that
 * primaries of the same jar on one machine share an entry and no primary removes one in
 * use: when an application's new version is ready, its older entries that no primary
 * holds are removed (a primary holds those it used until it exits). The directory is this
 * user's only, since workers run the jars in it.
 */
final class AotCacheStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AotCacheStore.class);

	private static final String LOCK = ".lock";

	/** Written last: an entry without it is rebuilt. */
	private static final String COMPLETE = "complete";

	private final Path directory;

	private final Map<Path, FileChannel> used = new ConcurrentHashMap<>();

	AotCacheStore(Path directory) {
		this.directory = directory.toAbsolutePath();
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * The name of an application's entry for one version of it.
	 * @param application what names the application (its jars' paths, the JDK's)
	 * @param version what the version is made of (sizes, times, the JDK's version)
	 * @return the entry's name
	 */
	static String key(String application, List<String> version) {
		return hash(application) + "-" + hash(String.join("\n", version));
	}

	Path entry(String key) {
		return this.directory.resolve(key);
	}

	boolean isComplete(Path entry) {
		return Files.isRegularFile(entry.resolve(COMPLETE));
	}

	/**
	 * Builds an entry unless it is complete, under an exclusive lock.
	 * @param entry the entry
	 * @param builder what fills it (its directory is empty then)
	 * @return {@code false} if another primary holds the entry, building or using it
	 * @throws IOException if the entry cannot be built
	 */
	boolean build(Path entry, Builder builder) throws IOException {
		Files.createDirectories(entry);
		try (FileChannel channel = lockFile(entry); FileLock lock = channel.tryLock()) {
			if (lock == null) {
				return false;
			}
			if (!isComplete(entry)) {
				clear(entry);
				builder.build(entry);
				Files.writeString(entry.resolve(COMPLETE), "", StandardCharsets.UTF_8);
			}
			return true;
		}
		catch (OverlappingFileLockException ex) {
			return false; // this primary uses it already
		}
	}

	/**
	 * Holds a complete entry until {@link #close()}, so that no other primary removes it.
	 * @param entry the entry
	 * @return {@code false} if another primary builds or removes it now
	 * @throws IOException if the lock file cannot be opened
	 */
	boolean use(Path entry) throws IOException {
		if (this.used.containsKey(entry)) {
			return true;
		}
		FileChannel channel = lockFile(entry);
		try {
			if (channel.tryLock(0, Long.MAX_VALUE, true) != null && isComplete(entry)) {
				this.used.put(entry, channel);
				return true;
			}
		}
		catch (IOException | OverlappingFileLockException ex) {
			// an overlap: built by this primary a moment ago, the builder's channel is closing
			logger.debug(LogMessage.format("Cannot hold %s", entry), ex);
		}
		channel.close();
		return false;
	}

	/**
	 * Makes the store's directory, readable and writable by this user only, or checks that
	 * it is so: a worker runs the jar it finds there.
	 * @throws IOException if the directory cannot be made, or another user owns it or may
	 * write to it
	 */
	void secure() throws IOException {
		boolean posix = this.directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (!Files.isDirectory(this.directory)) {
			Files.createDirectories(this.directory.getParent());
			try {
				if (posix) {
					Files.createDirectory(this.directory,
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				}
				else {
					Files.createDirectory(this.directory);
				}
			}
			catch (FileAlreadyExistsException ex) {
				// made meanwhile: checked below
			}
		}
		if (!posix) {
			return;
		}
		String user = System.getProperty("user.name");
		String owner = Files.getOwner(this.directory).getName();
		if (!owner.equals(user)) {
			throw new IOException(this.directory + " belongs to " + owner + ", not to " + user);
		}
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(this.directory);
		if (permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			throw new IOException(this.directory + " may be written by other users ("
					+ PosixFilePermissions.toString(permissions) + ")");
		}
	}

	/**
	 * Removes the application's other entries that no primary holds.
	 * @param key the entry to keep
	 */
	void removeOthers(String key) {
		String application = key.substring(0, key.indexOf('-') + 1);
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory, application + "*")) {
			for (Path entry : entries) {
				if (!entry.getFileName().toString().equals(key) && !this.used.containsKey(entry)) {
					removeUnlessHeld(entry);
				}
			}
		}
		catch (IOException ex) {
			logger.debug(LogMessage.format("Cannot list %s", this.directory), ex);
		}
	}

	private void removeUnlessHeld(Path entry) {
		try (FileChannel channel = lockFile(entry); FileLock lock = channel.tryLock()) {
			if (lock != null) { // held while removed, lock file and all: a primary that opens it now fails
				FileSystemUtils.deleteRecursively(entry); // to build and starts its workers without
				logger.info(LogMessage.format("Removed the AOT cache %s of an earlier version", entry));
			}
		}
		catch (IOException | OverlappingFileLockException ex) {
			logger.debug(LogMessage.format("Left %s", entry), ex);
		}
	}

	/** Releases every entry this primary holds. */
	@Override
	public void close() {
		this.used.values().forEach((channel) -> {
			try {
				channel.close();
			}
			catch (IOException ex) {
				logger.debug("Cannot release an AOT cache's lock", ex);
			}
		});
		this.used.clear();
	}

	private static FileChannel lockFile(Path entry) throws IOException {
		return FileChannel.open(entry.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
	}

	private static void clear(Path entry) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
			for (Path file : files) {
				if (!file.getFileName().toString().equals(LOCK)) {
					FileSystemUtils.deleteRecursively(file);
				}
			}
		}
	}

	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Fills an empty entry.
	 */
	@FunctionalInterface
	interface Builder {

		void build(Path entry) throws IOException;

	}

}
