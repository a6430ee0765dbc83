package org.openfoundry.directrun;

import org.openfoundry.json.UntrustedJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading and writing raw responses; a raw response is read within the limits on outside JSON. */
final class Json {
  private static final JsonMapper MAPPER = UntrustedJson.mapper();

  private Json() {}

  /** Whether the text is JSON equal to the value. */
  static boolean sameJson(String text, JsonNode value) {
    try {
      return MAPPER.readTree(text).equals(value);
    } catch (JacksonException notJson) {
      return false;
    }
  }

  static String write(JsonNode value) {
    return MAPPER.writeValueAsString(value);
  }
}
