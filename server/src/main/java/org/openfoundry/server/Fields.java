package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of a JSON request object, collecting one problem per bad field (its path, what
 * was expected and what came), so that a request is answered with every mistake at once.
 */
public final class Fields {
  private final ObjectNode body;
  private final String prefix;
  private final Problems problems;
  private final Set<String> known = new TreeSet<>();

  public Fields(ObjectNode body) {
    this(body, "", new Problems());
  }

  /** Reads a nested object, reporting paths under {@code prefix} into the same problems. */
  public Fields(ObjectNode body, String prefix, Problems problems) {
    this.body = requireNonNull(body, "body is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
    this.problems = requireNonNull(problems, "problems is null");
  }

  public Problems problems() {
    return problems;
  }

  public String path(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** The field's value when present and not null. */
  public Optional<JsonNode> node(String name) {
    known.add(name);
    JsonNode value = body.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  public Optional<String> string(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent() && !value.get().isString()) {
      problems.error(path(name), "expected a string, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    return value.map(JsonNode::asString);
  }

  /** A string that must be present and not blank. */
  public String requiredString(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty() && body.has(name) && !body.get(name).isNull()) {
      return "";
    }
    if (value.isEmpty() || value.get().isBlank()) {
      problems.error(path(name), "expected a non-empty string, got " + describe(name));
      return "";
    }
    return value.get();
  }

  public Optional<Long> integer(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent() && !value.get().canConvertToLong()) {
      problems.error(path(name), "expected a whole number, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    if (value.isPresent() && !value.get().isIntegralNumber()) {
      problems.error(path(name), "expected a whole number, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    return value.map(JsonNode::asLong);
  }

  public Optional<Boolean> bool(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent() && !value.get().isBoolean()) {
      problems.error(path(name), "expected true or false, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    return value.map(JsonNode::asBoolean);
  }

  public Optional<ObjectNode> object(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent() && !(value.get() instanceof ObjectNode)) {
      problems.error(path(name), "expected an object, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    return value.map(ObjectNode.class::cast);
  }

  /** A list of strings; each bad element is reported with its index. */
  public Optional<List<String>> strings(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.get().isArray()) {
      problems.error(path(name), "expected an array of strings, got " + Json.describe(value.get()));
      return Optional.empty();
    }
    List<String> items = new ArrayList<>();
    for (int index = 0; index < value.get().size(); index++) {
      JsonNode item = value.get().get(index);
      if (item.isString()) {
        items.add(item.asString());
      } else {
        problems.error(
            path(name) + "[" + index + "]", "expected a string, got " + Json.describe(item));
      }
    }
    return Optional.of(items);
  }

  /** A string read as one of a closed set of words. */
  public <T> Optional<T> choice(
      String name, Function<String, Optional<T>> parser, String expected) {
    Optional<String> text = string(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<T> value = parser.apply(text.get());
    if (value.isEmpty()) {
      problems.error(path(name), "expected " + expected + ", got \"" + text.get() + "\"");
    }
    return value;
  }

  /** Adds a problem for each field not read so far, naming the fields that are accepted. */
  public Fields rejectUnknown() {
    body.propertyNames()
        .forEach(
            name -> {
              if (!known.contains(name)) {
                problems.error(path(name), "unknown field; expected one of " + known);
              }
            });
    return this;
  }

  /** Throws {@code INVALID_INPUT} with every problem when there is any error. */
  public void throwIfErrors(String message) {
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, message);
  }

  private String describe(String name) {
    JsonNode value = body.get(name);
    return Json.describe(value == null ? null : value);
  }
}
