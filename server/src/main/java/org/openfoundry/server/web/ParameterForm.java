package org.openfoundry.server.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.params.Parameter;
import org.openfoundry.params.ParameterSchema;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inference-parameter form generated from a manifest's JSON Schema: one control per top-level
 * property (its type, default, bounds, choices, whether it is required, its description as help),
 * and the way back from the submitted strings to JSON values. The way back converts only what is
 * unambiguous; anything else is passed on as a string, so that the schema itself, on the server,
 * says what was expected.
 */
final class ParameterForm {
  static final String PREFIX = "param.";
  private static final JsonMapper MAPPER = UntrustedJson.mapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ParameterForm() {}

  /** The kinds of control a parameter can get. */
  enum Control {
    NUMBER,
    INTEGER,
    TEXT,
    LONG_TEXT,
    CHECKBOX,
    SELECT,
    JSON
  }

  /** One control of the form, as the template draws it. */
  record Field(
      String name,
      Control control,
      String value,
      String min,
      String max,
      boolean required,
      String help,
      List<String> options,
      String minLength,
      String maxLength,
      String error) {
    String input() {
      return PREFIX + name;
    }

    String id() {
      return "param-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    boolean checked() {
      return "true".equals(value);
    }

    String step() {
      return control == Control.INTEGER ? "1" : "any";
    }

    boolean is(String kind) {
      return control.name().equalsIgnoreCase(kind);
    }
  }

  /** The controls for the schema, filled with {@code submitted} values or else the defaults. */
  static List<Field> fields(
      ParameterSchema schema, Function<String, String> submitted, FieldErrors errors) {
    List<Field> fields = new ArrayList<>();
    JsonNode properties =
        schema.json().map(json -> json.path("properties")).orElse(NODES.objectNode());
    for (Parameter parameter : schema.parameters()) {
      JsonNode property = properties.path(parameter.name());
      Control control = control(parameter, property);
      String given = submitted.apply(PREFIX + parameter.name());
      String value = given != null ? given : defaultText(parameter, control);
      fields.add(
          new Field(
              parameter.name(),
              control,
              value,
              bound(property, "minimum", "exclusiveMinimum"),
              bound(property, "maximum", "exclusiveMaximum"),
              parameter.required(),
              parameter.description().orElse(""),
              options(property),
              number(property.path("minLength")),
              number(property.path("maxLength")),
              errors.of(parameter.name())));
    }
    return fields;
  }

  /**
   * The parameters as JSON from the submitted form ({@code param.NAME} fields). A field left empty
   * is left out, so that the schema's default applies.
   */
  static ObjectNode read(ParameterSchema schema, Function<String, List<String>> submitted) {
    ObjectNode values = NODES.objectNode();
    List<Problem> problems = new ArrayList<>();
    JsonNode properties =
        schema.json().map(json -> json.path("properties")).orElse(NODES.objectNode());
    for (Parameter parameter : schema.parameters()) {
      JsonNode property = properties.path(parameter.name());
      Control control = control(parameter, property);
      List<String> given = submitted.apply(PREFIX + parameter.name());
      if (control == Control.CHECKBOX) {
        values.put(parameter.name(), given != null && given.contains("true"));
        continue;
      }
      String text = given == null || given.isEmpty() ? "" : given.getLast();
      if (text.isBlank()) {
        continue;
      }
      switch (control) {
        case NUMBER, INTEGER -> values.set(parameter.name(), number(text));
        case SELECT -> values.set(parameter.name(), choice(property, text));
        case JSON -> {
          try {
            values.set(parameter.name(), MAPPER.readTree(text));
          } catch (JacksonException notJson) {
            problems.add(
                Problem.error(
                    parameter.name(), "expected a JSON value, got \"" + shorten(text) + "\""));
          }
        }
        case TEXT, LONG_TEXT -> values.put(parameter.name(), text);
        case CHECKBOX -> throw new IllegalStateException("checkboxes are read above");
      }
    }
    if (!problems.isEmpty()) {
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS, "the inference parameters are not valid", problems);
    }
    return values;
  }

  static Control control(Parameter parameter, JsonNode property) {
    if (property.path("enum").isArray() && !property.path("enum").isEmpty()) {
      return Control.SELECT;
    }
    List<String> types = parameter.types().stream().filter(type -> !type.equals("null")).toList();
    if (types.size() != 1) {
      return Control.JSON;
    }
    return switch (types.getFirst()) {
      case "number" -> Control.NUMBER;
      case "integer" -> Control.INTEGER;
      case "boolean" -> Control.CHECKBOX;
      case "string" ->
          property.path("maxLength").asInt(Integer.MAX_VALUE) <= 120
              ? Control.TEXT
              : Control.LONG_TEXT;
      default -> Control.JSON;
    };
  }

  private static String defaultText(Parameter parameter, Control control) {
    Optional<JsonNode> fallback = parameter.defaultValue();
    if (fallback.isEmpty()) {
      return "";
    }
    JsonNode value = fallback.get();
    if (control == Control.JSON) {
      return value.toString();
    }
    return value.isString() ? value.asString() : value.toString();
  }

  private static String bound(JsonNode property, String inclusive, String exclusive) {
    String text = number(property.path(inclusive));
    return text != null ? text : number(property.path(exclusive));
  }

  private static String number(JsonNode node) {
    return node.isNumber() ? node.asString() : null;
  }

  private static List<String> options(JsonNode property) {
    List<String> options = new ArrayList<>();
    property
        .path("enum")
        .forEach(value -> options.add(value.isString() ? value.asString() : value.toString()));
    return options;
  }

  private static JsonNode number(String text) {
    try {
      BigDecimal value = new BigDecimal(text.strip());
      if (value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0) {
        try {
          return NODES.numberNode(value.longValueExact());
        } catch (ArithmeticException tooLarge) {
          return NODES.numberNode(value);
        }
      }
      return NODES.numberNode(value.doubleValue());
    } catch (NumberFormatException notNumber) {
      return NODES.stringNode(text);
    }
  }

  private static JsonNode choice(JsonNode property, String text) {
    for (JsonNode option : property.path("enum")) {
      String shown = option.isString() ? option.asString() : option.toString();
      if (shown.equals(text)) {
        return option;
      }
    }
    return NODES.stringNode(text);
  }

  private static String shorten(String text) {
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
