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
			return this.jsonMapper.treeToValue(this.json, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"The message cannot be read as " + type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

}
