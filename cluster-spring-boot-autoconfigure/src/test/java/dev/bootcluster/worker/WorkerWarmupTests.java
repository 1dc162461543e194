package dev.bootcluster.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's warm-up on a real Tomcat, initialised as Spring Boot leaves it before its
 * connectors start: requests through a loopback connector of the warm-up's own, that is
 * gone after it, for a count or a time, and failures told.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerWarmupTests {

	private final AtomicInteger served = new AtomicInteger();

	private final Set<String> paths = ConcurrentHashMap.newKeySet();

	private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

	private final TomcatWebServer server = server();

	@AfterEach
	void destroy() {
		this.server.destroy();
	}

	@Test
	void sendsItsRequestsThroughAConnectorOfItsOwnThatIsGoneAfterIt(CapturedOutput output) {
		assertThat(this.server.getTomcat().getService().findConnectors()).as("Boot starts them later").isEmpty();
		new WorkerWarmup(() -> this.server, List.of("/a", "/b"), Duration.ofSeconds(30), 20, 3).start();
		assertThat(this.served).hasValue(20);
		assertThat(this.paths).containsExactlyInAnyOrder("/a", "/b");
		assertThat(this.ports).hasSize(1).noneMatch((port) -> port <= 0);
		assertThat(this.server.getTomcat().getService().findConnectors()).isEmpty();
		assertThat(output).containsPattern("Warmed up in \\d+\\.\\d s: 20 request\\(s\\) to \\[/a, /b\\]");
	}

	@Test
	void withoutACountItSendsRequestsForItsDuration(CapturedOutput output) {
		long started = System.nanoTime();
		new WorkerWarmup(() -> this.server, List.of("/a"), Duration.ofMillis(1500), 0, 2).start();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
		assertThat(this.served.get()).isGreaterThan(2);
		assertThat(output).contains("request(s) to [/a]");
	}

	@Test
	void failedRequestsAreCountedAndTheFirstIsToldButTheStartGoesOn(CapturedOutput output) {
		new WorkerWarmup(() -> this.server, List.of("/a", "/fail"), Duration.ofSeconds(30), 10, 1).start();
		assertThat(this.served).hasValue(10);
		assertThat(output).contains("10 request(s) to [/a, /fail], 5 failed (the first: GET /fail answered 500)");
	}

	@Test
	void aPathThatIsNoUriIsAFailedRequest(CapturedOutput output) {
		new WorkerWarmup(() -> this.server, List.of("/a", "/a b"), Duration.ofSeconds(30), 4, 1).start();
		assertThat(this.served).hasValue(2);
		assertThat(output).contains("4 request(s) to [/a, /a b], 2 failed (the first: GET /a b: "
				+ "java.lang.IllegalArgumentException");
	}

	@Test
	void withoutPathsThereIsNoWarmUp(CapturedOutput output) {
		new WorkerWarmup(() -> this.server, List.of(), Duration.ofSeconds(30), 0, 1).start();
		assertThat(this.served).hasValue(0);
		assertThat(output).doesNotContain("Warmed up");
	}

	private TomcatWebServer server() {
		HttpServlet servlet = new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				WorkerWarmupTests.this.served.incrementAndGet();
				WorkerWarmupTests.this.paths.add(request.getRequestURI());
				WorkerWarmupTests.this.ports.add(request.getLocalPort());
				response.setStatus(request.getRequestURI().equals("/fail") ? 500 : 200);
				response.getWriter().write("warm");
			}

		};
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
		return (TomcatWebServer) factory
			.getWebServer((context) -> context.addServlet("warm", servlet).addMapping("/*"));
	}

}
