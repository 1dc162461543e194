package dev.bootcluster.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bootcluster.event.ClusterWorkerDrainingEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SharedSocketDrain}: the application hears when the drain begins, once,
 * as the worker's context closes.
 */
class SharedSocketDrainTests {

	private static final List<String> heard = new CopyOnWriteArrayList<>();

	@Test
	void theApplicationIsToldWhenTheDrainBegins() {
		heard.clear();
		new ApplicationContextRunner().withBean(SharedSocketDrain.class)
			.withBean(Streams.class)
			.run((context) -> assertThat(heard).as("before the drain").isEmpty());
		assertThat(heard).containsExactly("closed the streams");
	}

	static class Streams {

		@EventListener
		void draining(ClusterWorkerDrainingEvent event) {
			heard.add("closed the streams");
		}

	}

}
