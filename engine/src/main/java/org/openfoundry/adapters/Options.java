package org.openfoundry.adapters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code adapter_options} into typed settings, reporting every bad value with its path
 * ({@code adapter_options.model: expected a string, got 3}) and every key no adapter reads.
 */
final class Options {
  static final String PATH = "adapter_options";

  private final ObjectNode node;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  Options(ObjectNode node, Problems problems) {
    this.node = node;
    this.problems = problems;
  }

  Problems problems() {
    return problems;
  }

  static String path(String key) {
    return PATH + "." + key;
  }

  void error(String key, String message) {
    problems.error(path(key), message);
  }

  private JsonNode value(String key) {
    known.add(key);
    JsonNode value = node.path(key);
    return value.isNull() ? node.missingNode() : value;
  }

  Optional<String> string(String key) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isString() || value.stringValue().isBlank()) {
      error(key, "expected a non-empty string, got " + Json.describe(value));
      return Optional.empty();
    }
    return Optional.of(value.stringValue());
  }

  String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  Optional<String> requiredString(String key, String what) {
    Optional<String> value = string(key);
    if (value.isEmpty() && value(key).isMissingNode()) {
      error(key, "required: " + what);
    }
    return value;
  }

  double number(String key, double fallback, double minimum, double maximum) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return fallback;
    }
    if (!value.isNumber()) {
      error(key, "expected a number, got " + Json.describe(value));
      return fallback;
    }
    double number = value.asDouble();
    if (number < minimum || number > maximum) {
      error(key, "expected a number from " + minimum + " to " + maximum + ", got " + value);
      return fallback;
    }
    return number;
  }

  boolean bool(String key, boolean fallback) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      error(key, "expected true or false, got " + Json.describe(value));
      return fallback;
    }
    return value.asBoolean();
  }

  /** One of a few words, case as written; the words are listed in the message otherwise. */
  <T> T choice(String key, T fallback, Map<String, T> words) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return fallback;
    }
    if (value.isString() && words.containsKey(value.stringValue())) {
      return words.get(value.stringValue());
    }
    error(
        key,
        "expected one of "
            + String.join(", ", words.keySet().stream().sorted().toList())
            + ", got "
            + Json.describe(value));
    return fallback;
  }

  Optional<ObjectNode> object(String key) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      error(key, "expected an object, got " + Json.describe(value));
      return Optional.empty();
    }
    return Optional.of(((ObjectNode) value).deepCopy());
  }

  Optional<JsonNode> array(String key) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      error(key, "expected a list, got " + Json.describe(value));
      return Optional.empty();
    }
    return Optional.of(value.deepCopy());
  }

  Map<String, String> stringMap(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    object(key)
        .ifPresent(
            object -> {
              for (Map.Entry<String, JsonNode> entry : object.properties()) {
                if (entry.getValue().isString()) {
                  map.put(entry.getKey(), entry.getValue().stringValue());
                } else {
                  problems.error(
                      path(key) + "." + entry.getKey(),
                      "expected a string, got " + Json.describe(entry.getValue()));
                }
              }
            });
    return Map.copyOf(map);
  }

  Optional<List<String>> strings(String key) {
    JsonNode value = value(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      error(key, "expected a list of strings, got " + Json.describe(value));
      return Optional.empty();
    }
    List<String> strings = new ArrayList<>();
    for (int index = 0; index < value.size(); index++) {
      if (value.get(index).isString()) {
        strings.add(value.get(index).stringValue());
      } else {
        problems.error(
            path(key) + "[" + index + "]",
            "expected a string, got " + Json.describe(value.get(index)));
      }
    }
    return Optional.of(List.copyOf(strings));
  }

  /** Reports the keys no setting read: a misspelt option must not pass silently. */
  void finish(String adapter) {
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        error(
            key,
            "unknown option of the "
                + adapter
                + " adapter, expected one of "
                + String.join(", ", known));
      }
    }
  }
}
