package dev.bootcluster.event;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message's content as it came over the control channel, read back as the type its
 * listener asks for with the application's own {@link JsonMapper}.
 *
 * @param json the content
 * @param jsonMapper the mapper that reads it
 */
record MessagePayload(JsonNode json, JsonMapper jsonMapper) {

	<T> T as(Class<T> type) {
		try {
			// readerFor(Class).readValue(JsonNode): treeToValue(JsonNode, Class) is missing
			// from Jackson 3.0 (Spring Boot 4.0.0 to 4.0.x)
			return this.jsonMapper.readerFor(type).readValue(this.json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"The message cannot be read as " + type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

}
