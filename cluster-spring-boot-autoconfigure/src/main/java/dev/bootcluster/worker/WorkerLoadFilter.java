package dev.bootcluster.worker;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Counts the requests a worker serves, for its heartbeats to the primary.
 */
public final class WorkerLoadFilter implements Filter {

	private final LongAdder served = new LongAdder();

	private final AtomicInteger active = new AtomicInteger();

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.active.incrementAndGet();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.active.decrementAndGet();
			this.served.increment();
		}
	}

	/**
	 * Requests served since the worker started.
	 * @return the number of requests
	 */
	public long served() {
		return this.served.sum();
	}

	/**
	 * Requests being served now.
	 * @return the number of requests in progress
	 */
	public int active() {
		return this.active.get();
	}

}
