package org.openfoundry.params;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Suggestions;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;

/**
 * Turns the validator's errors into problems in the house style: the path of the offending value
 * ({@code confidence}, {@code inference_params_json_schema.properties.p.type}), what was expected
 * and what was found ({@code must be at most 1.0, got 1.5}).
 */
final class SchemaErrors {
  private SchemaErrors() {}

  /**
   * One problem per error, each path under {@code prefix}; with {@code firstPerPath} only the first
   * error at each path is kept (the alternatives of an {@code anyOf} say the same thing twice).
   *
   * @param knownNames names to suggest for a property the schema does not allow
   */
  static List<Problem> problems(
      List<Error> errors, String prefix, boolean firstPerPath, Collection<String> knownNames) {
    Map<String, Problem> byKey = new LinkedHashMap<>();
    for (Error error : errors) {
      String path = path(error, prefix);
      Problem problem = Problem.error(path, message(error, knownNames));
      String key = firstPerPath ? path : path + "\n" + problem.message();
      byKey.putIfAbsent(key, problem);
    }
    return new ArrayList<>(byKey.values());
  }

  static String path(Error error, String prefix) {
    String path = prefix;
    NodePath location = error.getInstanceLocation();
    for (int index = 0; index < location.getNameCount(); index++) {
      Object element = location.getElement(index);
      path =
          element instanceof Integer position
              ? TreeReader.index(path, position)
              : TreeReader.child(path, String.valueOf(element));
    }
    if (error.getProperty() != null && isAboutAProperty(error.getKeyword())) {
      path = TreeReader.child(path, error.getProperty());
    }
    return path;
  }

  private static boolean isAboutAProperty(String keyword) {
    return switch (keyword == null ? "" : keyword) {
      case "required", "additionalProperties", "unevaluatedProperties", "dependentRequired" -> true;
      default -> false;
    };
  }

  static String message(Error error, Collection<String> knownNames) {
    JsonNode limit = error.getSchemaNode();
    JsonNode value = error.getInstanceNode();
    String got = ", got " + TreeReader.describe(value);
    return switch (error.getKeyword() == null ? "" : error.getKeyword()) {
      case "type" -> "expected " + types(limit) + got;
      case "enum" -> "expected one of " + listed(limit) + got + suggestion(value, limit);
      case "const" -> "expected " + limit + got;
      case "minimum" -> "must be at least " + limit + got;
      case "maximum" -> "must be at most " + limit + got;
      case "exclusiveMinimum" -> "must be greater than " + limit + got;
      case "exclusiveMaximum" -> "must be less than " + limit + got;
      case "multipleOf" -> "must be a multiple of " + limit + got;
      case "minLength" -> "must be at least " + limit + " characters long" + got;
      case "maxLength" -> "must be at most " + limit + " characters long" + got;
      case "pattern" -> "must match the pattern " + limit.stringValue() + got;
      case "minItems" -> "must have at least " + limit + " items, got " + value.size();
      case "maxItems" -> "must have at most " + limit + " items, got " + value.size();
      case "uniqueItems" -> "must not repeat an item" + got;
      case "required" -> "is required";
      case "additionalProperties", "unevaluatedProperties" ->
          "is not allowed here" + Suggestions.didYouMean(error.getProperty(), knownNames);
      default -> error.getMessage();
    };
  }

  /** {@code a number}, {@code an integer or null}. */
  static String types(JsonNode type) {
    if (type == null || type.isMissingNode()) {
      return "a value";
    }
    if (type.isArray()) {
      List<String> names =
          StreamSupport.stream(type.spliterator(), false)
              .map(node -> typeName(word(node)))
              .toList();
      if (names.size() == 1) {
        return names.getFirst();
      }
      return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }
    return typeName(word(type));
  }

  private static String word(JsonNode type) {
    return type.isString() ? type.stringValue() : type.toString();
  }

  static String typeName(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  private static String listed(JsonNode values) {
    if (values == null || !values.isArray()) {
      return String.valueOf(values);
    }
    return StreamSupport.stream(values.spliterator(), false)
        .map(JsonNode::toString)
        .collect(Collectors.joining(", "));
  }

  private static String suggestion(JsonNode value, JsonNode allowed) {
    if (value == null || !value.isString() || allowed == null || !allowed.isArray()) {
      return "";
    }
    List<String> words =
        StreamSupport.stream(allowed.spliterator(), false)
            .filter(JsonNode::isString)
            .map(JsonNode::stringValue)
            .toList();
    return Suggestions.closest(value.stringValue(), words)
        .map(match -> " (did you mean \"" + match + "\"?)")
        .orElse("");
  }
}
