package org.openfoundry.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.openfoundry.json.UntrustedJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The server's JSON conventions: snake_case property names, ISO-8601 instants, absent omitted. */
public final class Json {
  private Json() {}

  /**
   * A new mapper configured with the server's conventions, and the limits of JSON read from outside
   * on nesting depth and on the length of strings, numbers and keys.
   */
  public static JsonMapper newMapper() {
    return UntrustedJson.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .changeDefaultPropertyInclusion(
            inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_ABSENT))
        .build();
  }

  /** How a value is named in "expected ..., got ..." messages. */
  public static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      return "the string " + abbreviate(node.asString());
    }
    if (node.isNumber()) {
      return "the number " + node;
    }
    if (node.isBoolean()) {
      return node.toString();
    }
    if (node.isArray()) {
      return "an array";
    }
    return "an object";
  }

  private static String abbreviate(String text) {
    String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
    return "\"" + shown + "\"";
  }
}
