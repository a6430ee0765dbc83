package org.openfoundry.params;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One parameter a schema declares at its top level: its declared types (empty when it declares
 * none), its default, whether every run must have a value for it, and its description.
 */
public record Parameter(
    String name,
    List<String> types,
    Optional<JsonNode> defaultValue,
    boolean required,
    Optional<String> description) {

  public Parameter {
    requireNonNull(name, "name is null");
    types = List.copyOf(types);
    requireNonNull(defaultValue, "defaultValue is null");
    defaultValue = defaultValue.map(JsonNode::deepCopy);
    requireNonNull(description, "description is null");
  }

  /** A copy, since JSON nodes can be changed in place. */
  @Override
  public Optional<JsonNode> defaultValue() {
    return defaultValue.map(JsonNode::deepCopy);
  }
}
