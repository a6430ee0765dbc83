package org.openfoundry.cli.text;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** JSON for a terminal: indented, with long strings and long arrays cut short. */
public final class JsonText {
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private JsonText() {}

  /** The whole tree, indented: what {@code --json} prints. */
  public static String pretty(JsonNode node) {
    return PRETTY.writeValueAsString(node);
  }

  /**
   * Indented, with strings longer than {@code maxString} characters shortened to their start and
   * their length, and arrays of more than {@code maxItems} items cut after that many.
   */
  public static String abbreviated(JsonNode node, int maxString, int maxItems) {
    return PRETTY.writeValueAsString(shorten(node, maxString, maxItems));
  }

  /** Every line of {@code text} with {@code prefix} in front. */
  public static String indent(String text, String prefix) {
    return String.join(System.lineSeparator(), text.lines().map(line -> prefix + line).toList());
  }

  /** At most {@code max} lines of {@code text}, then a line saying how many were left out. */
  public static String firstLines(String text, int max, String hint) {
    List<String> lines = text.lines().toList();
    if (lines.size() <= max) {
      return text;
    }
    return String.join(System.lineSeparator(), lines.subList(0, max))
        + System.lineSeparator()
        + "... "
        + (lines.size() - max)
        + " more lines"
        + hint;
  }

  private static JsonNode shorten(JsonNode node, int maxString, int maxItems) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (node.isString()) {
      String text = node.asString();
      return text.length() <= maxString
          ? node
          : nodes.stringNode(
              text.substring(0, Math.max(0, maxString - 20))
                  + "... ("
                  + text.length()
                  + " characters)");
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = nodes.arrayNode();
      for (int index = 0; index < array.size() && index < maxItems; index++) {
        copy.add(shorten(array.get(index), maxString, maxItems));
      }
      if (array.size() > maxItems) {
        copy.add("... " + (array.size() - maxItems) + " more items");
      }
      return copy;
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = nodes.objectNode();
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        copy.set(entry.getKey(), shorten(entry.getValue(), maxString, maxItems));
      }
      return copy;
    }
    return node;
  }
}
