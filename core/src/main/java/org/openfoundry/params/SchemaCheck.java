package org.openfoundry.params;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.Suggestions;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks that a parameter schema means something: valid against its dialect's meta-schema, an
 * object schema, {@code required} naming declared properties, and each property's {@code default}
 * valid against that property's own subschema.
 */
final class SchemaCheck {
  private static final Set<String> SHARED_DEFINITIONS = Set.of("$defs", "definitions");
  private static final Set<String> DATA_KEYWORDS = Set.of("default", "examples", "enum", "const");

  private final Problems problems;
  private final TreeReader reader;
  private final String path;

  SchemaCheck(Problems problems, String path) {
    this.problems = problems;
    this.reader = new TreeReader(problems);
    this.path = path;
  }

  /** The compiled schema and its dialect, or empty when the schema has errors (recorded). */
  Optional<Compiled> check(JsonNode node) {
    Optional<ObjectNode> schema = reader.object(node, path);
    if (schema.isEmpty()) {
      return Optional.empty();
    }
    Optional<Dialect> dialect = dialect(schema.get());
    if (dialect.isEmpty()) {
      return Optional.empty();
    }
    int before = problems.errors().size();
    List<Error> metaErrors = dialect.get().metaSchema().validate(schema.get());
    SchemaErrors.problems(metaErrors, path, true, List.of()).forEach(problems::add);
    objectType(schema.get());
    requiredNamesProperties(schema.get());
    patterns(schema.get(), path);
    if (!metaErrors.isEmpty() || problems.errors().size() > before) {
      return Optional.empty();
    }
    Optional<Schema> compiled = compile(dialect.get(), schema.get(), path);
    compiled.ifPresent(found -> defaults(dialect.get(), schema.get(), schema.get(), path));
    if (problems.errors().size() > before || compiled.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Compiled(dialect.get(), compiled.get()));
  }

  record Compiled(Dialect dialect, Schema schema) {}

  private Optional<Dialect> dialect(ObjectNode schema) {
    JsonNode declared = schema.get("$schema");
    if (declared == null) {
      return Optional.of(Dialect.DRAFT_2020_12);
    }
    Optional<Dialect> dialect =
        declared.isString() ? Dialect.named(declared.stringValue()) : Optional.empty();
    if (dialect.isEmpty()) {
      reader.error(
          TreeReader.child(path, "$schema"),
          "expected "
              + Dialect.DRAFT_2020_12.identifier()
              + " (the default) or "
              + Dialect.DRAFT_07.identifier()
              + ", got "
              + TreeReader.describe(declared));
    }
    return dialect;
  }

  private void objectType(ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type == null || !(type.isString() || type.isArray())) {
      return;
    }
    boolean object =
        type.isString()
            ? type.stringValue().equals("object")
            : type.valueStream()
                .anyMatch(entry -> entry.isString() && entry.stringValue().equals("object"));
    if (!object) {
      reader.error(
          TreeReader.child(path, "type"),
          "inference parameters are an object, so the type must be \"object\", got "
              + TreeReader.describe(type));
    }
  }

  private void requiredNamesProperties(ObjectNode schema) {
    JsonNode required = schema.get("required");
    if (required == null || !required.isArray()) {
      return;
    }
    JsonNode properties = schema.path("properties");
    List<String> declared = List.copyOf(properties.propertyNames());
    for (int index = 0; index < required.size(); index++) {
      // The meta-schema reports an entry that is not a string.
      if (!required.get(index).isString()) {
        continue;
      }
      String name = required.get(index).stringValue();
      if (!properties.has(name)) {
        reader.error(
            TreeReader.index(TreeReader.child(path, "required"), index),
            "names \""
                + name
                + "\", which is not among the properties"
                + (declared.isEmpty()
                    ? " (the schema declares none)"
                    : Suggestions.didYouMean(name, declared)));
      }
    }
  }

  /**
   * Compiles each regular expression where it is written, so that a bad one is reported at its
   * path; values that are data (defaults, examples, enums, constants) are skipped.
   */
  private void patterns(JsonNode schema, String schemaPath) {
    if (schema.isArray()) {
      for (int index = 0; index < schema.size(); index++) {
        patterns(schema.get(index), TreeReader.index(schemaPath, index));
      }
      return;
    }
    for (String key : schema.propertyNames()) {
      JsonNode value = schema.get(key);
      String keyPath = TreeReader.child(schemaPath, key);
      if (DATA_KEYWORDS.contains(key)) {
        continue;
      }
      if (key.equals("pattern") && value.isString()) {
        regularExpression(value.stringValue(), keyPath);
      } else if (key.equals("patternProperties") && value.isObject()) {
        value.propertyNames().forEach(name -> regularExpression(name, keyPath));
      }
      if (value.isContainer()) {
        patterns(value, keyPath);
      }
    }
  }

  private void regularExpression(String expression, String where) {
    if (expression.length() > BoundedPatterns.MAX_LENGTH) {
      reader.error(
          where,
          "expected a regular expression of at most "
              + BoundedPatterns.MAX_LENGTH
              + " characters, got one of "
              + expression.length());
      return;
    }
    try {
      Pattern.compile(expression);
    } catch (PatternSyntaxException invalid) {
      reader.error(
          where,
          "expected a regular expression, got \""
              + expression
              + "\" ("
              + invalid.getDescription()
              + " near index "
              + invalid.getIndex()
              + ")");
    }
  }

  private Optional<Schema> compile(Dialect dialect, JsonNode schema, String where) {
    try {
      Schema compiled = dialect.registry().getSchema(schema);
      compiled.initializeValidators();
      return Optional.of(compiled);
    } catch (SchemaException | IllegalArgumentException | IllegalStateException invalid) {
      String reason = String.valueOf(invalid.getMessage()).lines().findFirst().orElse("");
      reader.error(where, "is not a usable JSON Schema: " + reason);
      return Optional.empty();
    }
  }

  /**
   * Checks each default under {@code properties}, descending into nested object schemas. A default
   * is checked against a schema made of its own subschema plus the root's shared definitions, so
   * that a {@code $ref} to them still resolves.
   */
  private void defaults(Dialect dialect, ObjectNode root, JsonNode schema, String schemaPath) {
    JsonNode properties = schema.path("properties");
    for (String name : properties.propertyNames()) {
      JsonNode property = properties.get(name);
      String propertyPath = TreeReader.child(TreeReader.child(schemaPath, "properties"), name);
      if (!property.isObject()) {
        continue;
      }
      JsonNode defaultValue = property.get("default");
      if (defaultValue != null) {
        checkDefault(dialect, root, (ObjectNode) property, defaultValue, propertyPath);
      }
      defaults(dialect, root, property, propertyPath);
    }
  }

  private void checkDefault(
      Dialect dialect,
      ObjectNode root,
      ObjectNode property,
      JsonNode defaultValue,
      String propertyPath) {
    ObjectNode standalone = property.deepCopy();
    standalone.remove("default");
    for (String shared : SHARED_DEFINITIONS) {
      if (root.has(shared) && !standalone.has(shared)) {
        standalone.set(shared, root.get(shared));
      }
    }
    if (root.has("$schema")) {
      standalone.set("$schema", root.get("$schema"));
    }
    String defaultPath = TreeReader.child(propertyPath, "default");
    Optional<Schema> compiled = compile(dialect, standalone, propertyPath);
    if (compiled.isEmpty()) {
      return;
    }
    List<Error> errors;
    try {
      errors = compiled.get().validate(defaultValue);
    } catch (BoundedPatterns.TooMuchBacktracking slow) {
      reader.error(
          defaultPath,
          slow.getMessage()
              + " on this default, matching it takes too long; write a simpler pattern");
      return;
    }
    for (var problem : SchemaErrors.problems(errors, "", false, List.of())) {
      String inside = problem.path().isEmpty() ? "" : problem.path() + ": ";
      reader.error(
          defaultPath, inside + problem.message() + " (a default must fit its own schema)");
    }
  }
}
