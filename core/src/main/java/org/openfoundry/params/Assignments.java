package org.openfoundry.params;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.TreeReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads {@code name=value} strings into typed JSON by each parameter's declared type. */
final class Assignments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** The order in which a value is tried against a parameter that allows several types. */
  private static final List<String> TYPE_ORDER =
      List.of("null", "boolean", "integer", "number", "array", "object", "string");

  private final Problems problems;

  Assignments(Problems problems) {
    this.problems = problems;
  }

  ObjectNode parse(List<String> assignments, Optional<JsonNode> properties) {
    ObjectNode values = NODES.objectNode();
    for (String assignment : assignments) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        problems.error(
            "", "expected name=value, got " + TreeReader.describe(NODES.stringNode(assignment)));
        continue;
      }
      String name = assignment.substring(0, equals).strip();
      String text = assignment.substring(equals + 1);
      if (values.has(name)) {
        problems.error(TreeReader.child("", name), "is given twice");
        continue;
      }
      List<String> types =
          properties
              .map(all -> all.path(name))
              .map(ParameterSchema::declaredTypes)
              .orElse(List.of());
      Optional<JsonNode> typed;
      try {
        typed = typed(text, types);
      } catch (TooLarge tooLarge) {
        problems.error(
            TreeReader.child("", name), "the value is too large to read: " + tooLarge.getMessage());
        continue;
      }
      typed.ifPresentOrElse(
          value -> values.set(name, value),
          () ->
              problems.error(
                  TreeReader.child("", name),
                  "expected "
                      + SchemaErrors.types(NODES.arrayNode().addAll(strings(types)))
                      + ", got "
                      + TreeReader.describe(NODES.stringNode(text))));
    }
    return values;
  }

  private static Optional<JsonNode> typed(String text, List<String> types) {
    if (types.isEmpty()) {
      return Optional.of(json(text).orElse(NODES.stringNode(text)));
    }
    for (String type : TYPE_ORDER) {
      if (!types.contains(type)) {
        continue;
      }
      Optional<JsonNode> value = as(type, text);
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> as(String type, String text) {
    String trimmed = text.strip();
    return switch (type) {
      case "null" -> trimmed.equals("null") ? Optional.of(NODES.nullNode()) : Optional.empty();
      case "boolean" ->
          trimmed.equals("true") || trimmed.equals("false")
              ? Optional.of(NODES.booleanNode(trimmed.equals("true")))
              : Optional.empty();
      case "integer" ->
          INTEGER.matcher(trimmed).matches()
              ? Optional.of(integer(new BigInteger(trimmed)))
              : Optional.empty();
      case "number" -> number(trimmed);
      case "array" -> json(trimmed).filter(JsonNode::isArray);
      case "object" -> json(trimmed).filter(JsonNode::isObject);
      case "string" -> Optional.of(NODES.stringNode(text));
      default -> Optional.empty();
    };
  }

  private static JsonNode integer(BigInteger value) {
    if (value.bitLength() < 32) {
      return NODES.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return NODES.numberNode(value.longValue());
    }
    return NODES.numberNode(value);
  }

  private static Optional<JsonNode> number(String text) {
    if (!NUMBER.matcher(text).matches()) {
      return Optional.empty();
    }
    if (INTEGER.matcher(text).matches()) {
      return Optional.of(integer(new BigInteger(text)));
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      return Optional.of(NODES.numberNode(new BigDecimal(text)));
    }
    return Optional.of(NODES.numberNode(value));
  }

  /** The value read as JSON, within the limits on JSON from outside. */
  private static Optional<JsonNode> json(String text) {
    try {
      return Optional.of(UntrustedJson.mapper().readTree(text))
          .filter(node -> !node.isMissingNode());
    } catch (JacksonException notJson) {
      Optional<String> limit = UntrustedJson.limitPassed(notJson);
      if (limit.isPresent()) {
        throw new TooLarge(limit.get());
      }
      return Optional.empty();
    }
  }

  /** A value that is JSON past a limit: refused rather than taken as a string. */
  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String limit) {
      super(limit, null, false, false);
    }
  }

  private static List<JsonNode> strings(List<String> words) {
    return words.stream().map(word -> (JsonNode) NODES.stringNode(word)).toList();
  }
}
