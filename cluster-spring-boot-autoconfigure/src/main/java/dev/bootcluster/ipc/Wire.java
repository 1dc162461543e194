package dev.bootcluster.ipc;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the control channel: the one mapper that writes and reads its frames, and
 * the cluster's state inside them, on both sides. It is the starter's own, whatever the
 * application configures; the payloads of application messages are written with the
 * application's mapper instead.
 */
public final class Wire {

	private static final JsonMapper jsonMapper = JsonMapper.builder()
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.build();

	private Wire() {
	}

	/**
	 * The control channel's mapper.
	 * @return the mapper
	 */
	public static JsonMapper mapper() {
		return jsonMapper;
	}

}
