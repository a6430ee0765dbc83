package org.openfoundry.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON as the store writes it: canonical (keys sorted), so equal documents store equal text. */
final class Json {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private Json() {}

  static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  static JsonNode read(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new FoundryException(
          ErrorCode.INTERNAL, "stored " + what + " is not JSON: " + e.getOriginalMessage());
    }
  }

  static ObjectNode readObject(String text, String what) {
    JsonNode node = read(text, what);
    if (!(node instanceof ObjectNode object)) {
      throw new FoundryException(
          ErrorCode.INTERNAL, "stored " + what + " is not a JSON object: " + node.getNodeType());
    }
    return object;
  }

  static String writeStrings(Collection<String> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(array::add);
    return write(array);
  }

  static List<String> readStrings(String text, String what) {
    JsonNode node = read(text, what);
    return node.valueStream().map(JsonNode::asString).toList();
  }

  static String writeMap(Map<String, String> values) {
    ObjectNode object = MAPPER.createObjectNode();
    values.forEach(object::put);
    return write(object);
  }

  static Map<String, String> readMap(String text, String what) {
    ObjectNode object = readObject(text, what);
    Map<String, String> values = new LinkedHashMap<>();
    object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asString()));
    return values;
  }
}
