package org.openfoundry.predictions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Reading numbers, scores and vertices out of JSON, recording what is wrong as it goes. */
final class Values {
  private static final int SHOWN_TEXT = 40;
  private static final int SHOWN_KEYS = 6;
  private static final int SHOWN_DECIMALS = 6;
  private static final int LISTED = 12;

  private Values() {}

  /** How a value is named in messages: {@code a string "high"}, {@code a list of 3 items}. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      return "a string " + quote(node.stringValue());
    }
    if (node.isNumber()) {
      return "the number " + node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? "true" : "false";
    }
    if (node.isArray()) {
      return node.isEmpty()
          ? "an empty list"
          : "a list of " + node.size() + (node.size() == 1 ? " item" : " items");
    }
    if (node.isObject()) {
      if (node.isEmpty()) {
        return "an empty object";
      }
      String keys =
          node.propertyNames().stream().limit(SHOWN_KEYS).collect(Collectors.joining(", "));
      return "an object with keys "
          + keys
          + (node.size() > SHOWN_KEYS ? ", ... (" + node.size() + " keys)" : "");
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  /** Names for an "expected one of" list, shortened when there are many. */
  static String list(Collection<String> names) {
    String shown = names.stream().limit(LISTED).collect(Collectors.joining(", "));
    return names.size() > LISTED ? shown + ", ... (" + names.size() + " in all)" : shown;
  }

  /** Quotes a text for a message, shortening a long one. */
  static String quote(String text) {
    String shown = text.length() > SHOWN_TEXT ? text.substring(0, SHOWN_TEXT - 3) + "..." : text;
    return "\"" + shown.replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * A number as people write it, to six decimals: {@code 10}, not {@code 10.0}; {@code 50.97}, not
   * {@code 50.97000000000003}.
   */
  static String format(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value)
        .setScale(SHOWN_DECIMALS, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A finite number, or empty after recording an error. */
  static OptionalDouble number(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isNumber()) {
      run.error(path, "expected a number, got " + describe(node));
      return OptionalDouble.empty();
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      run.error(path, "expected a finite number, got " + format(value));
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(value);
  }

  /** A finite number not under zero, or empty after recording an error. */
  static OptionalDouble coordinate(JsonNode node, String path, ParseRun run) {
    OptionalDouble value = number(node, path, run);
    if (value.isPresent() && value.getAsDouble() < 0) {
      run.error(path, "expected a coordinate >= 0, got " + format(value.getAsDouble()));
      return OptionalDouble.empty();
    }
    return value;
  }

  /** A whole number (a character offset), or empty after recording an error. */
  static OptionalInt offset(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isNumber()) {
      run.error(path, "expected a whole number, got " + describe(node));
      return OptionalInt.empty();
    }
    double value = node.doubleValue();
    if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
      run.error(path, "expected a whole number, got " + format(value));
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) value);
  }

  /**
   * A score: empty inside when the node is absent or null; the outer optional is empty when the
   * score is invalid (the error is recorded).
   */
  static Optional<OptionalDouble> score(JsonNode node, String path, ParseRun run) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return Optional.of(OptionalDouble.empty());
    }
    OptionalDouble value = number(node, path, run);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.getAsDouble() < 0 || value.getAsDouble() > 1) {
      run.error(path, "expected a score between 0 and 1, got " + format(value.getAsDouble()));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** A vertex written {@code [x, y]}. */
  static Optional<Vertex> pair(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isArray() || node.size() != 2) {
      run.error(path, "expected a point [x, y], got " + describe(node));
      return Optional.empty();
    }
    return vertex(node.get(0), node.get(1), path + "[0]", path + "[1]", run);
  }

  /** A vertex written {@code {"x": ..., "y": ...}}. */
  static Optional<Vertex> xy(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isObject() || !node.has("x") || !node.has("y")) {
      run.error(path, "expected a point {\"x\": ..., \"y\": ...}, got " + describe(node));
      return Optional.empty();
    }
    return vertex(node.get("x"), node.get("y"), path + ".x", path + ".y", run);
  }

  private static Optional<Vertex> vertex(
      JsonNode x, JsonNode y, String xPath, String yPath, ParseRun run) {
    OptionalDouble left = coordinate(x, xPath, run);
    OptionalDouble top = coordinate(y, yPath, run);
    if (left.isEmpty() || top.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Vertex(left.getAsDouble(), top.getAsDouble()));
  }

  /** The string values of the first of {@code keys} present as a string in {@code node}. */
  static Optional<String> firstString(JsonNode node, String... keys) {
    for (String key : keys) {
      JsonNode value = node.get(key);
      if (value != null && value.isString()) {
        return Optional.of(value.stringValue());
      }
    }
    return Optional.empty();
  }

  /** The first of {@code keys} present and not null in {@code node}, with its key. */
  static Optional<Map.Entry<String, JsonNode>> firstPresent(JsonNode node, String... keys) {
    for (String key : keys) {
      JsonNode value = node.get(key);
      if (value != null && !value.isNull()) {
        return Optional.of(Map.entry(key, value));
      }
    }
    return Optional.empty();
  }
}
