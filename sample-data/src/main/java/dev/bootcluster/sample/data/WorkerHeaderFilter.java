package dev.bootcluster.sample.data;

import java.io.IOException;

import dev.bootcluster.Cluster;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names the worker that served each response in an {@code X-Cluster-Worker} header.
 */
@Component
class WorkerHeaderFilter extends OncePerRequestFilter {

	private final String worker = Integer.toString(Cluster.workerId());

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("X-Cluster-Worker", this.worker);
		chain.doFilter(request, response);
	}

}
