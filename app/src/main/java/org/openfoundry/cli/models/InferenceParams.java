package org.openfoundry.cli.models;

import java.util.List;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Inference parameters given as {@code name=value}, typed by the model's JSON Schema. */
public final class InferenceParams {
  private InferenceParams() {}

  /**
   * {@code confidence=0.5} is the number 0.5 when the manifest declares {@code confidence} a
   * number, the string "0.5" when a string; undeclared values are read as JSON when they are.
   */
  public static ObjectNode parse(JsonNode manifest, List<String> assignments) {
    return Manifest.fromJson(manifest, Secrets.none()).parameters().parseAssignments(assignments);
  }
}
