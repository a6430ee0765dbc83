package org.openfoundry.examples.server;

import java.util.Map;
import org.openfoundry.examples.bundle.ExampleBundle;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/** The bundled manifests read as YAML, as a platform registering them would. */
final class Manifests {
  private Manifests() {}

  static JsonNode manifest(String model) {
    Object yaml =
        new Load(LoadSettings.builder().build()).loadFromString(ExampleBundle.manifest(model));
    return Http.JSON.valueToTree((Map<?, ?>) yaml);
  }

  /** The manifest's ontology as the JSON a task request carries. */
  static String ontology(String model) {
    return manifest(model).get("ontology").toString();
  }
}
