package org.openfoundry.problems;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON tree while collecting {@link Problems}: each typed read either returns the value or
 * records what was found and what was expected at the value's path, so that a reader reports every
 * problem at once. Paths look like {@code ontology.tools[1].name}; keys that are not plain words
 * are quoted, {@code properties["max tokens"]}.
 */
public final class TreeReader {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");
  private static final int LONGEST_QUOTED_STRING = 60;

  private final Problems problems;

  public TreeReader(Problems problems) {
    this.problems = requireNonNull(problems, "problems is null");
  }

  public void error(String path, String message) {
    problems.error(path, message);
  }

  public void warning(String path, String message) {
    problems.warning(path, message);
  }

  /** The path of {@code key} inside the object at {@code path}. */
  public static String child(String path, String key) {
    if (!PLAIN_KEY.matcher(key).matches()) {
      return path + "[" + quote(key) + "]";
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The path of element {@code index} of the list at {@code path}. */
  public static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  /** The path one level up: {@code a.b[2]} gives {@code a.b}; a top-level key gives "". */
  public static String parent(String path) {
    List<Object> segments = segments(path);
    if (segments.isEmpty()) {
      return "";
    }
    return join(segments.subList(0, segments.size() - 1));
  }

  /** Splits a path into its keys (strings) and list indexes (integers). */
  public static List<Object> segments(String path) {
    List<Object> segments = new ArrayList<>();
    int at = 0;
    while (at < path.length()) {
      char next = path.charAt(at);
      if (next == '.') {
        at++;
        continue;
      }
      if (next == '[' && at + 1 < path.length() && path.charAt(at + 1) == '"') {
        int end = closingQuote(path, at + 2);
        segments.add(unquote(path.substring(at + 1, end + 1)));
        at = end + 2;
        continue;
      }
      if (next == '[') {
        int end = path.indexOf(']', at);
        segments.add(Integer.parseInt(path.substring(at + 1, end)));
        at = end + 1;
        continue;
      }
      int end = at;
      while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
        end++;
      }
      segments.add(path.substring(at, end));
      at = end;
    }
    return segments;
  }

  /** The inverse of {@link #segments}. */
  public static String join(List<Object> segments) {
    String path = "";
    for (Object segment : segments) {
      path =
          segment instanceof Integer position
              ? index(path, position)
              : child(path, (String) segment);
    }
    return path;
  }

  /**
   * How a value reads in a message: strings quoted (long ones cut), numbers and booleans as they
   * are, containers by their kind.
   */
  public static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isString()) {
      String text = value.stringValue();
      if (text.length() > LONGEST_QUOTED_STRING) {
        return quote(text.substring(0, LONGEST_QUOTED_STRING))
            + "... (a string of "
            + text.length()
            + " characters)";
      }
      return quote(text);
    }
    if (value.isArray()) {
      return value.isEmpty() ? "an empty list" : "a list";
    }
    if (value.isObject()) {
      return value.isEmpty() ? "an empty mapping" : "a mapping";
    }
    return value.toString();
  }

  /** The value under {@code key}, absent when the key is missing or its value is null. */
  public static Optional<JsonNode> field(JsonNode object, String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** Warns about each key of {@code object} not in {@code known}, suggesting the closest one. */
  public void unknownKeys(JsonNode object, String path, Collection<String> known) {
    for (String key : object.propertyNames()) {
      if (!known.contains(key)) {
        problems.warning(
            child(path, key), "unknown key, ignored" + Suggestions.didYouMean(key, known));
      }
    }
  }

  public Optional<ObjectNode> object(JsonNode value, String path) {
    if (value.isObject()) {
      return Optional.of((ObjectNode) value);
    }
    problems.error(path, "expected a mapping, got " + describe(value));
    return Optional.empty();
  }

  public Optional<ArrayNode> list(JsonNode value, String path) {
    if (value.isArray()) {
      return Optional.of((ArrayNode) value);
    }
    problems.error(path, "expected a list, got " + describe(value));
    return Optional.empty();
  }

  public Optional<String> string(JsonNode value, String path) {
    if (value.isString()) {
      return Optional.of(value.stringValue());
    }
    String hint = value.isNumber() || value.isBoolean() ? " (put it in quotes)" : "";
    problems.error(path, "expected a string, got " + describe(value) + hint);
    return Optional.empty();
  }

  /** A string with something other than white space in it. */
  public Optional<String> nonBlankString(JsonNode value, String path) {
    Optional<String> text = string(value, path);
    if (text.isPresent() && text.get().isBlank()) {
      problems.error(path, "expected a non-blank string, got " + describe(value));
      return Optional.empty();
    }
    return text;
  }

  public Optional<Boolean> bool(JsonNode value, String path) {
    if (value.isBoolean()) {
      return Optional.of(value.booleanValue());
    }
    problems.error(path, "expected true or false, got " + describe(value));
    return Optional.empty();
  }

  /** A finite number. */
  public OptionalDouble number(JsonNode value, String path) {
    if (value.isNumber() && Double.isFinite(value.doubleValue())) {
      return OptionalDouble.of(value.doubleValue());
    }
    problems.error(path, "expected a number, got " + describe(value));
    return OptionalDouble.empty();
  }

  /** A whole number from {@code min} to {@code max}; {@code 3.0} counts as whole. */
  public OptionalLong integer(JsonNode value, String path, long min, long max) {
    Optional<BigInteger> whole = wholeNumber(value);
    String expected = integerRange(min, max);
    if (whole.isEmpty()) {
      problems.error(path, "expected " + expected + ", got " + describe(value));
      return OptionalLong.empty();
    }
    BigInteger number = whole.get();
    if (number.compareTo(BigInteger.valueOf(min)) < 0
        || number.compareTo(BigInteger.valueOf(max)) > 0) {
      problems.error(path, "expected " + expected + ", got " + describe(value));
      return OptionalLong.empty();
    }
    return OptionalLong.of(number.longValueExact());
  }

  private static Optional<BigInteger> wholeNumber(JsonNode value) {
    if (value.isIntegralNumber()) {
      return Optional.of(value.bigIntegerValue());
    }
    if (value.isNumber() && Double.isFinite(value.doubleValue())) {
      try {
        return Optional.of(value.decimalValue().toBigIntegerExact());
      } catch (ArithmeticException notWhole) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static String integerRange(long min, long max) {
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return min == 1 ? "a positive integer" : "an integer of at least " + min;
    }
    return "an integer from " + min + " to " + max;
  }

  private static String quote(String text) {
    return JsonNodeFactory.instance.stringNode(text).toString();
  }

  private static String unquote(String quoted) {
    StringBuilder text = new StringBuilder();
    for (int at = 1; at < quoted.length() - 1; at++) {
      char next = quoted.charAt(at);
      if (next != '\\') {
        text.append(next);
        continue;
      }
      char escaped = quoted.charAt(++at);
      switch (escaped) {
        case 'n' -> text.append('\n');
        case 't' -> text.append('\t');
        case 'r' -> text.append('\r');
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'u' -> {
          text.append((char) Integer.parseInt(quoted.substring(at + 1, at + 5), 16));
          at += 4;
        }
        default -> text.append(escaped);
      }
    }
    return text.toString();
  }

  private static int closingQuote(String path, int from) {
    int at = from;
    while (at < path.length()) {
      char next = path.charAt(at);
      if (next == '\\') {
        at += 2;
        continue;
      }
      if (next == '"') {
        return at;
      }
      at++;
    }
    throw new IllegalArgumentException("unterminated quoted key in path " + path);
  }
}
