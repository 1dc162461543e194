package dev.bootcluster.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bootcluster.RelayTransport;
import dev.bootcluster.SocketMode;
import dev.bootcluster.WorkerCount;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for running the application as a cluster.
 */
@ConfigurationProperties("cluster")
public class ClusterProperties implements InitializingBean {

	/**
	 * Number of worker JVMs the primary runs: an integer up to max-workers, or 'auto' for
	 * one per processor available to the JVM (container limits included), capped at
	 * max-workers. 0 runs the application standalone, exactly as without the starter.
	 */
	private WorkerCount workers = WorkerCount.NONE;

	/**
	 * Most workers the cluster may run: caps cluster.workers, 'auto' and every scale
	 * request (the endpoint, ClusterOperations, ClusterPrimary.scale). At least 1; unset,
	 * 4 per processor available to the JVM, at most 64.
	 */
	private @Nullable Integer maxWorkers;

	/**
	 * Ready workers the cluster needs to be available: below it the 'cluster' health
	 * contributor is DOWN, the primary's readiness state refuses traffic, and the cluster
	 * cannot be scaled below it.
	 */
	private int minReady = 1;

	/**
	 * How workers get the connections of the public ports: 'inherit' (each worker accepts
	 * on the primary's sockets; Linux, JDK 22+, or JDK 17+ with java.base/sun.nio.ch
	 * opened, for the main connector only), 'relay' (the primary accepts and relays to
	 * workers on loopback ports; any JDK from 17, any system), or 'auto' for inherit where
	 * possible, else relay.
	 */
	private SocketMode mode = SocketMode.AUTO;

	private final Primary primary = new Primary();

	private final Worker worker = new Worker();

	private final Restart restart = new Restart();

	private final Rolling rolling = new Rolling();

	private final Relay relay = new Relay();

	private final Metrics metrics = new Metrics();

	public WorkerCount getWorkers() {
		return this.workers;
	}

	public void setWorkers(WorkerCount workers) {
		this.workers = workers;
	}

	public @Nullable Integer getMaxWorkers() {
		return this.maxWorkers;
	}

	public void setMaxWorkers(@Nullable Integer maxWorkers) {
		this.maxWorkers = maxWorkers;
	}

	/**
	 * The most workers the cluster may run: {@code cluster.max-workers}, or its default.
	 * @return the limit
	 */
	int resolveMaxWorkers() {
		Integer maxWorkers = this.maxWorkers;
		return (maxWorkers != null) ? maxWorkers : WorkerCount.defaultMax();
	}

	/**
	 * The number of workers to run, {@code auto} capped at the limit.
	 * @return the number of workers
	 */
	int resolveWorkers() {
		return this.workers.resolve(resolveMaxWorkers());
	}

	public int getMinReady() {
		return this.minReady;
	}

	public void setMinReady(int minReady) {
		this.minReady = minReady;
	}

	public SocketMode getMode() {
		return this.mode;
	}

	public void setMode(SocketMode mode) {
		this.mode = mode;
	}

	public Relay getRelay() {
		return this.relay;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Primary getPrimary() {
		return this.primary;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public Rolling getRolling() {
		return this.rolling;
	}

	@Override
	public void afterPropertiesSet() {
		ClusterPropertiesValidation.validate(this);
	}

	/**
	 * Settings of the primary JVM.
	 */
	public static class Primary {

		/**
		 * Whether the primary creates its beans lazily, so that beans it never uses (it
		 * serves no routes) are never created there. An @EventListener bean is created when
		 * its first event comes.
		 */
		private boolean lazyInitialization = true;

		/**
		 * Whether the primary is kept lean on a data-backed application: it does not start
		 * what only serves requests (JPA, repositories, connection pools, caches) unless a
		 * bean it uses needs them; it runs the database migrations and SQL init scripts
		 * once, before it forks a worker, then releases its connections; and workers skip
		 * migrations and SQL init.
		 */
		private boolean lean = true;

		public boolean isLean() {
			return this.lean;
		}

		public void setLean(boolean lean) {
			this.lean = lean;
		}

		public boolean isLazyInitialization() {
			return this.lazyInitialization;
		}

		public void setLazyInitialization(boolean lazyInitialization) {
			this.lazyInitialization = lazyInitialization;
		}

	}

	/**
	 * Settings of every worker JVM.
	 */
	public static class Worker {

		/**
		 * JVM options added to each worker's command line, after those inherited from the
		 * primary (so they win), e.g. -Xmx512m.
		 */
		private List<String> jvmArgs = new ArrayList<>();

		/**
		 * Environment variables added to each worker's environment.
		 */
		private Map<String, String> env = new LinkedHashMap<>();

		/**
		 * How often a worker reports its load figures to the primary, and the primary
		 * tells each worker it is still there.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * How long a disconnecting worker may take to drain before it is killed.
		 */
		private Duration killTimeout = Duration.ofSeconds(30);

		/**
		 * How long a worker may take from its start to being ready before it is killed and
		 * replaced.
		 */
		private Duration bootTimeout = Duration.ofSeconds(120);

		/**
		 * How long a connected worker may stay silent (a hung or stopped JVM) before it is
		 * killed and replaced; and how long a worker may go without hearing from its
		 * primary before it reports health DOWN.
		 */
		private Duration heartbeatTimeout = Duration.ofSeconds(20);

		/**
		 * How long a ready worker's request threads may take no new task (all stuck: a
		 * deadlock, an exhausted pool) before it is killed and replaced, after a thread
		 * dump; 0 for no limit.
		 */
		private Duration hangTimeout = Duration.ofSeconds(60);

		/**
		 * Requests after which a worker is gracefully replaced (recycled); 0 never.
		 */
		private long maxRequests;

		/**
		 * Random number of requests, up to this, added to max-requests for each worker so
		 * that workers do not recycle together.
		 */
		private long maxRequestsJitter;

		/**
		 * Heap in use after garbage collection above which, for three heartbeats in a row, a
		 * worker is gracefully replaced (recycled); unset never.
		 */
		private @Nullable DataSize maxHeap;

		/**
		 * Percentage of the memory left after the primary's maximum heap (the container's
		 * memory limit, or the machine's memory) that the workers' maximum heaps take
		 * together; the rest is left for every JVM's non-heap memory. Each worker gets
		 * -Xmx of its share, unless the heap is sized already (-Xmx, -XX:MaxRAMPercentage
		 * and the like in jvm-args, the primary's JVM options or JAVA_TOOL_OPTIONS).
		 */
		private double heapPercentage = 50;

		private final AotCache aotCache = new AotCache();

		private final Warmup warmup = new Warmup();

		public List<String> getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(List<String> jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		public Map<String, String> getEnv() {
			return this.env;
		}

		public void setEnv(Map<String, String> env) {
			this.env = env;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getKillTimeout() {
			return this.killTimeout;
		}

		public void setKillTimeout(Duration killTimeout) {
			this.killTimeout = killTimeout;
		}

		public Duration getBootTimeout() {
			return this.bootTimeout;
		}

		public void setBootTimeout(Duration bootTimeout) {
			this.bootTimeout = bootTimeout;
		}

		public Duration getHeartbeatTimeout() {
			return this.heartbeatTimeout;
		}

		public void setHeartbeatTimeout(Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
		}

		public Duration getHangTimeout() {
			return this.hangTimeout;
		}

		public void setHangTimeout(Duration hangTimeout) {
			this.hangTimeout = hangTimeout;
		}

		public long getMaxRequests() {
			return this.maxRequests;
		}

		public void setMaxRequests(long maxRequests) {
			this.maxRequests = maxRequests;
		}

		public long getMaxRequestsJitter() {
			return this.maxRequestsJitter;
		}

		public void setMaxRequestsJitter(long maxRequestsJitter) {
			this.maxRequestsJitter = maxRequestsJitter;
		}

		public @Nullable DataSize getMaxHeap() {
			return this.maxHeap;
		}

		public void setMaxHeap(@Nullable DataSize maxHeap) {
			this.maxHeap = maxHeap;
		}

		public double getHeapPercentage() {
			return this.heapPercentage;
		}

		public void setHeapPercentage(double heapPercentage) {
			this.heapPercentage = heapPercentage;
		}

		public AotCache getAotCache() {
			return this.aotCache;
		}

		public Warmup getWarmup() {
			return this.warmup;
		}

		/**
		 * A worker's warm-up before it takes connections: requests to paths of the
		 * application, through a loopback connector of its own, before its shared
		 * connectors start and it reports READY.
		 */
		public static class Warmup {

			/**
			 * Paths a worker requests in turn (GET) before it takes connections, e.g. / and
			 * /api/items/1. None, the default, for no warm-up.
			 */
			private List<String> paths = new ArrayList<>();

			/**
			 * How long a worker sends warm-up requests at most; at most half the boot
			 * timeout.
			 */
			private Duration duration = Duration.ofSeconds(10);

			/**
			 * How many warm-up requests a worker sends at most; 0 for as many as the
			 * duration allows.
			 */
			private long requests;

			/**
			 * How many warm-up requests a worker sends at a time.
			 */
			private int concurrency = 4;

			public List<String> getPaths() {
				return this.paths;
			}

			public void setPaths(List<String> paths) {
				this.paths = paths;
			}

			public Duration getDuration() {
				return this.duration;
			}

			public void setDuration(Duration duration) {
				this.duration = duration;
			}

			public long getRequests() {
				return this.requests;
			}

			public void setRequests(long requests) {
				this.requests = requests;
			}

			public int getConcurrency() {
				return this.concurrency;
			}

			public void setConcurrency(int concurrency) {
				this.concurrency = concurrency;
			}

		}

		/**
		 * The AOT cache workers start from (a CDS archive before Java 25): recorded by the
		 * cluster in one training run, once the workers are ready, and used by the workers
		 * launched after that.
		 */
		public static class AotCache {

			/**
			 * Whether workers start from an AOT cache the cluster records. Not used when the
			 * class path has a directory, or the JVM options choose a cache or archive of
			 * their own.
			 */
			private boolean enabled = true;

			/**
			 * The directory that keeps the caches, one for each version of each application
			 * (the extracted jar and the cache, about 100 MB for the sample), readable and
			 * writable by the user only. By default cluster-aot-cache-<user> in the system's
			 * temporary directory.
			 */
			private @Nullable Path directory;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public @Nullable Path getDirectory() {
				return this.directory;
			}

			public void setDirectory(@Nullable Path directory) {
				this.directory = directory;
			}

			/**
			 * The directory that keeps the caches.
			 * @return the configured directory, else the default
			 */
			public Path resolveDirectory() {
				return (this.directory != null) ? this.directory : Path.of(System.getProperty("java.io.tmpdir"),
						"cluster-aot-cache-" + System.getProperty("user.name"));
			}

		}

	}

	/**
	 * How the primary respawns workers that exit unexpectedly.
	 */
	public static class Restart {

		/**
		 * Delay before the first respawn of a slot whose worker exited unexpectedly; it grows
		 * exponentially while the slot's workers keep failing.
		 */
		private Duration backoffInitial = Duration.ofMillis(100);

		/**
		 * Longest delay between two respawns of a slot.
		 */
		private Duration backoffMax = Duration.ofSeconds(15);

		/**
		 * How long a worker must have been READY for its exit not to count as part of a
		 * crash loop: the slot's backoff and failure count start over after such a worker.
		 * A worker that exits before it is READY is a boot failure, however long its boot
		 * took.
		 */
		private Duration minUptime = Duration.ofSeconds(10);

		/**
		 * Respawns a slot gets while its workers keep failing (before READY, or within
		 * min-uptime of it); when the last of them fails too, the slot is ERRORED and no
		 * longer respawned until a rolling restart or a scale request.
		 */
		private int maxRestarts = 10;

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getBackoffInitial() {
			return this.backoffInitial;
		}

		public void setBackoffInitial(Duration backoffInitial) {
			this.backoffInitial = backoffInitial;
		}

		public Duration getBackoffMax() {
			return this.backoffMax;
		}

		public void setBackoffMax(Duration backoffMax) {
			this.backoffMax = backoffMax;
		}

		public Duration getMinUptime() {
			return this.minUptime;
		}

		public void setMinUptime(Duration minUptime) {
			this.minUptime = minUptime;
		}

	}

	/**
	 * How a rolling restart replaces the workers.
	 */
	public static class Rolling {

		/**
		 * Workers replaced at a time; each replacement is ready before the worker it
		 * replaces begins to drain.
		 */
		private int batchSize = 1;

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	/**
	 * Relay mode.
	 */
	public static class Relay {

		/**
		 * How long a relayed connection may carry no byte either way before the primary
		 * closes it (a vanished or stalled peer).
		 */
		private Duration idleTimeout = Duration.ofMinutes(5);

		/**
		 * How many connections each public port relays at once (each holds two 16 KiB
		 * direct buffers); beyond that, clients wait in the kernel's accept queue.
		 */
		private int maxConnections = 4096;

		/**
		 * How the primary reaches each worker: over Unix domain sockets in a directory
		 * only this user can read, or over loopback TCP ports. Auto picks Unix domain
		 * sockets, except on Windows.
		 */
		private RelayTransport transport = RelayTransport.AUTO;

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public RelayTransport getTransport() {
			return this.transport;
		}

		public void setTransport(RelayTransport transport) {
			this.transport = transport;
		}

	}

	/**
	 * The workers' meters in the primary's registries.
	 */
	public static class Metrics {

		/**
		 * Whether every live worker's meters are in the primary's registries (scraped on
		 * its management port, exported by it), each tagged with the worker's id. Workers
		 * report them after each heartbeat.
		 */
		private boolean includeWorkers = true;

		/**
		 * Tag that names the worker of each meter in the primary's registries; the
		 * primary's own meters have it too, with the value 'primary'.
		 */
		private String workerTag = "worker";

		/**
		 * Whether the workers' counters and timers are also offered summed over all
		 * workers (tagged with the worker tag 'all'), counting what exited workers had
		 * counted, so that the sums never go backwards when a worker is replaced.
		 */
		private boolean aggregate;

		public boolean isIncludeWorkers() {
			return this.includeWorkers;
		}

		public void setIncludeWorkers(boolean includeWorkers) {
			this.includeWorkers = includeWorkers;
		}

		public String getWorkerTag() {
			return this.workerTag;
		}

		public void setWorkerTag(String workerTag) {
			this.workerTag = workerTag;
		}

		public boolean isAggregate() {
			return this.aggregate;
		}

		public void setAggregate(boolean aggregate) {
			this.aggregate = aggregate;
		}

	}

}
