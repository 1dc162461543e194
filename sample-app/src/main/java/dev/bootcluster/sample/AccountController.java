package dev.bootcluster.sample;

import java.util.Map;

import dev.bootcluster.Cluster;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal sign-in kept in the HTTP session. Sessions live in the shared database
 * (Spring Session JDBC), so whichever worker serves the next request knows the user, even
 * after the worker that signed them in has died.
 */
@RestController
class AccountController {

	private static final String USER = "user";

	@PostMapping("/login")
	Map<String, Object> login(@RequestParam String name, HttpSession session) {
		session.setAttribute(USER, name);
		return Map.of(USER, name, "worker", Cluster.workerId());
	}

	@GetMapping("/me")
	ResponseEntity<Map<String, Object>> me(HttpSession session) {
		Object user = session.getAttribute(USER);
		if (user == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "not signed in"));
		}
		return ResponseEntity.ok(Map.of(USER, user, "worker", Cluster.workerId()));
	}

}
