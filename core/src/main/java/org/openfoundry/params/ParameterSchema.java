package org.openfoundry.params;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inference parameters a model takes, compiled once from the JSON Schema of its manifest.
 * {@link #resolve} turns the parameters a run was given into the ones sent to the model. A model
 * whose manifest has no schema takes any object: it may have free parameters of its own.
 */
public final class ParameterSchema {
  private static final ParameterSchema FREE = new ParameterSchema(Optional.empty(), null, null);

  private final Optional<ObjectNode> json;
  private final Dialect dialect;
  private final Schema compiled;

  private ParameterSchema(Optional<ObjectNode> json, Dialect dialect, Schema compiled) {
    this.json = json;
    this.dialect = dialect;
    this.compiled = compiled;
  }

  /** The schema of a model that declares none: any object of parameters is accepted as is. */
  public static ParameterSchema none() {
    return FREE;
  }

  /**
   * Checks and compiles {@code schema}, recording every problem under {@code path}; empty when it
   * has errors.
   */
  public static Optional<ParameterSchema> read(JsonNode schema, String path, Problems problems) {
    return new SchemaCheck(problems, path)
        .check(schema)
        .map(
            checked ->
                new ParameterSchema(
                    Optional.of(((ObjectNode) schema).deepCopy()),
                    checked.dialect(),
                    checked.schema()));
  }

  /** Checks and compiles {@code schema}, throwing every problem at once. */
  public static ParameterSchema of(JsonNode schema) {
    Problems problems = new Problems();
    Optional<ParameterSchema> read = read(schema, "", problems);
    problems.throwIfErrors(ErrorCode.INVALID_MANIFEST, "the parameter schema is not valid");
    return read.orElseThrow();
  }

  /** Whether the manifest declared a schema (otherwise every object of parameters is accepted). */
  public boolean isDeclared() {
    return json.isPresent();
  }

  /** The schema as declared, a copy. */
  public Optional<ObjectNode> json() {
    return json.map(ObjectNode::deepCopy);
  }

  /** The {@code $schema} the schema is validated under: 2020-12 unless it names draft-07. */
  public Optional<String> dialect() {
    return Optional.ofNullable(dialect).map(Dialect::identifier);
  }

  /** The top-level parameters in declaration order. */
  public List<Parameter> parameters() {
    if (json.isEmpty()) {
      return List.of();
    }
    JsonNode properties = json.get().path("properties");
    Set<String> required = requiredNames();
    List<Parameter> parameters = new ArrayList<>();
    for (String name : properties.propertyNames()) {
      JsonNode property = properties.get(name);
      parameters.add(
          new Parameter(
              name,
              declaredTypes(property),
              Optional.ofNullable(property.get("default")),
              required.contains(name),
              Optional.ofNullable(property.get("description"))
                  .filter(JsonNode::isString)
                  .map(JsonNode::stringValue)));
    }
    return parameters;
  }

  /**
   * The parameters to send to the model: {@code given} (null or missing means none) with the
   * defaults of the top-level properties it leaves out, validated against the schema. Nothing is
   * coerced: the string {@code "0.5"} is not a number.
   *
   * @throws FoundryException {@code INVALID_PARAMETERS} with every problem, each named by its
   *     parameter
   */
  public ObjectNode resolve(JsonNode given) {
    ObjectNode values = givenObject(given);
    if (compiled == null) {
      return values;
    }
    for (Parameter parameter : parameters()) {
      if (!values.has(parameter.name()) && parameter.defaultValue().isPresent()) {
        values.set(parameter.name(), parameter.defaultValue().get());
      }
    }
    List<Error> errors;
    try {
      errors = compiled.validate(values);
    } catch (BoundedPatterns.TooMuchBacktracking slow) {
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS,
          "the inference parameters cannot be checked: "
              + slow.getMessage()
              + " on the values given, matching them takes too long; the model's schema needs a"
              + " simpler pattern");
    }
    if (!errors.isEmpty()) {
      Problems problems = new Problems();
      List<String> names = parameters().stream().map(Parameter::name).toList();
      SchemaErrors.problems(errors, "", false, names).forEach(problems::add);
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS, "the inference parameters are not valid", problems.all());
    }
    return values;
  }

  /**
   * Turns {@code name=value} strings from a command line into a JSON object, each value typed by
   * its parameter's declared type: {@code confidence=0.5} gives the number 0.5 when {@code
   * confidence} is a number and the string "0.5" when it is a string. A value for a parameter that
   * declares no type is read as JSON when it is JSON, and as a string otherwise.
   *
   * @throws FoundryException {@code INVALID_PARAMETERS} with every problem
   */
  public ObjectNode parseAssignments(List<String> assignments) {
    Problems problems = new Problems();
    ObjectNode values =
        new Assignments(problems).parse(assignments, json.map(node -> node.path("properties")));
    problems.throwIfErrors(ErrorCode.INVALID_PARAMETERS, "the inference parameters are not valid");
    return values;
  }

  private Set<String> requiredNames() {
    Set<String> names = new TreeSet<>();
    json.ifPresent(
        schema ->
            schema.path("required").valueStream().map(JsonNode::asString).forEach(names::add));
    return names;
  }

  static List<String> declaredTypes(JsonNode property) {
    JsonNode type = property.path("type");
    if (type.isString()) {
      return List.of(type.stringValue());
    }
    return type.valueStream().map(JsonNode::asString).toList();
  }

  private static ObjectNode givenObject(JsonNode given) {
    if (given == null || given.isNull() || given.isMissingNode()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!given.isObject()) {
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS,
          "the inference parameters must be an object of named values, got "
              + TreeReader.describe(given));
    }
    return ((ObjectNode) given).deepCopy();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ParameterSchema schema && schema.json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json.map(JsonNode::toString).orElse("(no parameter schema: any parameters)");
  }
}
