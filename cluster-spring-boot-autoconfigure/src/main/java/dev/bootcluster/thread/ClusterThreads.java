package dev.bootcluster.thread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes every thread the starter starts, named {@code cluster-...} (the prefix is added to
 * a name without it) so that thread dumps and logs tell them from the application's. A
 * thread is made as {@code new Thread(task, name)} makes one: the priority and thread group
 * of the thread making it, the default uncaught exception handling. It is a daemon unless
 * said otherwise: the starter's own work never keeps a JVM alive.
 */
public final class ClusterThreads {

	private static final String PREFIX = "cluster-";

	private ClusterThreads() {
	}

	/**
	 * A daemon thread, not started.
	 * @param name its name
	 * @param task what it runs
	 * @return the thread
	 */
	public static Thread newThread(String name, Runnable task) {
		return newThread(name, true, task);
	}

	/**
	 * A thread, not started.
	 * @param name its name
	 * @param daemon whether it is a daemon
	 * @param task what it runs
	 * @return the thread
	 */
	public static Thread newThread(String name, boolean daemon, Runnable task) {
		Thread thread = new Thread(task, name(name));
		thread.setDaemon(daemon);
		return thread;
	}

	/**
	 * Starts a daemon thread.
	 * @param name its name
	 * @param task what it runs
	 * @return the started thread
	 */
	public static Thread start(String name, Runnable task) {
		Thread thread = newThread(name, task);
		thread.start();
		return thread;
	}

	/**
	 * A factory of daemon threads all of the same name, for an executor of one thread or of
	 * threads that need not be told apart.
	 * @param name the name of every thread
	 * @return the factory
	 */
	public static ThreadFactory factory(String name) {
		String threadName = name(name);
		return (task) -> newThread(threadName, task);
	}

	/**
	 * A factory of daemon threads named {@code prefix-1}, {@code prefix-2} and so on.
	 * @param prefix what the names start with, without the dash before the number
	 * @return the factory
	 */
	public static ThreadFactory numberedFactory(String prefix) {
		return numberedFactory(prefix, true);
	}

	/**
	 * A factory of threads named {@code prefix-1}, {@code prefix-2} and so on.
	 * @param prefix what the names start with, without the dash before the number
	 * @param daemon whether the threads are daemons
	 * @return the factory
	 */
	public static ThreadFactory numberedFactory(String prefix, boolean daemon) {
		String namePrefix = name(prefix) + "-";
		AtomicInteger count = new AtomicInteger();
		return (task) -> newThread(namePrefix + count.incrementAndGet(), daemon, task);
	}

	private static String name(String name) {
		return name.startsWith(PREFIX) ? name : PREFIX + name;
	}

}
