package dev.bootcluster.socket;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The directory where relayed workers put their Unix domain sockets: made for one primary
 * under the temporary directory, readable by its user only (unlike a loopback port, which
 * any local user may connect to), and removed with what a killed worker left in it when
 * the primary closes its sockets.
 */
final class UnixSocketDirectory implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(UnixSocketDirectory.class);

	/**
	 * The longest path of the directory: a socket's path has 103 bytes on macOS (107 on
	 * Linux), and a worker's socket needs 16 of them for its name (pid, connector index).
	 */
	static final int MAX_LENGTH = 87;

	private final Path path;

	private UnixSocketDirectory(Path path) {
		this.path = path;
	}

	/**
	 * Makes the directory.
	 * @param parent where to make it: the temporary directory
	 * @return the directory
	 * @throws IOException if it cannot be made, or its path is too long for a socket
	 */
	static UnixSocketDirectory create(Path parent) throws IOException {
		if (parent.toString().length() + "/cluster-relay-0000000000000000000".length() > MAX_LENGTH) {
			throw new IOException("The temporary directory " + parent + " has too long a path for Unix domain "
					+ "sockets (java.io.tmpdir); use a shorter one, or cluster.relay.transport=tcp");
		}
		Path path = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
				? Files.createTempDirectory(parent, "cluster-relay-",
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
				: Files.createTempDirectory(parent, "cluster-relay-");
		return new UnixSocketDirectory(path);
	}

	Path path() {
		return this.path;
	}

	@Override
	public void close() {
		try (Stream<Path> paths = Files.walk(this.path)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot remove the directory of the workers' sockets, " + this.path, ex);
		}
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

}
