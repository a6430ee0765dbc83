package org.openfoundry.ontology;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an ontology as the canonical JSON that {@link OntologyReader} reads back to an equal
 * ontology: what task requests carry and what model versions store. Every key is written, so the
 * JSON does not depend on defaults.
 */
public final class OntologyWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OntologyWriter() {}

  public static ObjectNode write(Ontology ontology) {
    ObjectNode json = NODES.objectNode();
    ontology.mediaType().ifPresent(type -> json.put("media_type", type.name()));
    ArrayNode tools = json.putArray("tools");
    for (Tool tool : ontology.tools()) {
      ObjectNode entry = tools.addObject();
      entry.put("name", tool.name());
      entry.put("tool", tool.kind().word());
      tool.color().ifPresent(color -> entry.put("color", color));
      entry.set("classifications", classifications(tool.classifications()));
    }
    json.set("classifications", classifications(ontology.classifications()));
    return json;
  }

  private static ArrayNode classifications(List<Classification> classifications) {
    ArrayNode list = NODES.arrayNode();
    for (Classification classification : classifications) {
      ObjectNode entry = list.addObject();
      entry.put("name", classification.name());
      entry.put("instructions", classification.instructions());
      entry.put("type", classification.kind().word());
      entry.put("required", classification.required());
      ArrayNode options = entry.putArray("options");
      for (Option option : classification.options()) {
        ObjectNode optionEntry = options.addObject();
        optionEntry.put("label", option.label());
        optionEntry.put("value", option.value());
        optionEntry.put("position", option.position());
        optionEntry.set("options", classifications(option.options()));
      }
    }
    return list;
  }
}
