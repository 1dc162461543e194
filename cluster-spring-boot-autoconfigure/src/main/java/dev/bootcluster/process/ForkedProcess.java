package dev.bootcluster.process;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker started with {@link ProcessBuilder}, for relay mode: it needs no socket of the
 * primary's, so any JDK can start it. It shares the primary's standard output and error.
 * {@code TERM} and {@code KILL} are sent through the JDK; other signals through
 * {@code kill(2)} where the native layer is available, else the {@code kill} command.
 */
public final class ForkedProcess implements ChildProcess {

	private static final Log logger = LogFactory.getLog(ForkedProcess.class);

	private static final boolean UNIX = File.separatorChar == '/';

	private final Process process;

	private final CompletableFuture<ProcessExit> exit;

	private ForkedProcess(Process process) {
		this.process = process;
		this.exit = process.onExit().thenApply((ended) -> ProcessExit.fromExitValue(ended.exitValue(), UNIX));
	}

	/**
	 * Starts a process.
	 * @param command the command line, the executable first
	 * @param environment the complete environment
	 * @return the started process
	 * @throws WorkerSpawnException if it cannot be started
	 */
	public static ForkedProcess start(List<String> command, Map<String, String> environment)
			throws WorkerSpawnException {
		ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
		builder.environment().clear();
		builder.environment().putAll(environment);
		try {
			return new ForkedProcess(builder.start());
		}
		catch (IOException ex) {
			// the JDK's message repeats the program; its cause tells the error alone
			Throwable error = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new WorkerSpawnException(command, String.valueOf(error.getMessage()).strip(), ex);
		}
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public CompletableFuture<ProcessExit> onExit() {
		return this.exit;
	}

	@Override
	public boolean signal(String signal) throws IOException {
		if (!this.process.isAlive()) {
			return false;
		}
		String name = Signals.name(Signals.number(signal));
		if (name.equals("SIGKILL")) {
			this.process.destroyForcibly();
			return true;
		}
		if (name.equals("SIGTERM") || !UNIX) {
			this.process.destroy();
			return true;
		}
		if (Posix.unavailableReason() == null) {
			return Posix.kill(pid(), signal);
		}
		// not waited for: the caller is the supervisor thread, which never blocks
		Process kill = new ProcessBuilder("kill", "-s", name.substring(3), Long.toString(pid())).inheritIO().start();
		kill.onExit().thenAccept((ended) -> {
			if (ended.exitValue() != 0) {
				logger.warn("kill -s " + name.substring(3) + " " + pid() + " exited with " + ended.exitValue());
			}
		});
		return true;
	}

}
