package dev.bootcluster.sample;

import java.util.Map;

import dev.bootcluster.Cluster;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells which worker served the request.
 */
@RestController
class WhoAmIController {

	@GetMapping("/whoami")
	Map<String, Object> whoami() {
		return Map.of("worker", Cluster.workerId(), "pid", ProcessHandle.current().pid());
	}

}
