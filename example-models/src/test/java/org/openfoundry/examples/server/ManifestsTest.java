package org.openfoundry.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.endpoint.ExampleModel;
import org.openfoundry.examples.language.LoadedLanguageModel;
import org.openfoundry.examples.shapes.ShapesModel;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Option;
import tools.jackson.databind.JsonNode;

/** The bundled manifests describe the models as they are. */
class ManifestsTest {

  @Test
  void the_shapes_manifest_names_the_features_kinds_and_options_the_model_predicts() {
    ShapesModel shapes =
        new ShapesModel(
            url -> {
              throw new IllegalStateException("no image is loaded here");
            });

    assertMatches(Manifests.manifest("shapes"), shapes);
  }

  @Test
  void the_language_manifest_names_the_features_kinds_and_options_the_model_predicts() {
    assertMatches(Manifests.manifest("language"), LoadedLanguageModel.get());
  }

  @Test
  void every_manifest_has_the_keys_a_registration_needs_and_a_confidence_parameter() {
    for (String model : List.of("shapes", "language")) {
      JsonNode manifest = Manifests.manifest(model);

      assertThat(manifest.propertyNames())
          .contains(
              "name",
              "inference_endpoint",
              "requests_per_second",
              "description",
              "readme",
              "allowed_asset_types",
              "allowed_feature_kinds",
              "ontology",
              "inference_params_json_schema");
      assertThat(manifest.get("inference_endpoint").asString()).endsWith("/models/" + model);
      JsonNode confidence = manifest.at("/inference_params_json_schema/properties/confidence");
      assertThat(confidence.get("type").asString()).isEqualTo("number");
      assertThat(confidence.get("minimum").asDouble()).isZero();
      assertThat(confidence.get("maximum").asDouble()).isEqualTo(1.0);
    }
  }

  private static void assertMatches(JsonNode manifest, ExampleModel model) {
    List<String> declared = new ArrayList<>();
    for (JsonNode tool : manifest.at("/ontology/tools")) {
      declared.add(tool.get("name").asString() + ":" + tool.get("tool").asString());
    }
    for (JsonNode classification : manifest.at("/ontology/classifications")) {
      declared.add(
          classification.get("name").asString() + ":" + classification.get("type").asString());
      List<String> values = classification.path("options").findValuesAsString("value");
      Feature feature =
          model.features().stream()
              .filter(candidate -> candidate.name().equals(classification.get("name").asString()))
              .findFirst()
              .orElseThrow();
      assertThat(((Classification) feature).options())
          .extracting(Option::value)
          .containsExactlyElementsOf(values);
    }
    assertThat(declared)
        .containsExactlyInAnyOrderElementsOf(
            model.features().stream()
                .map(feature -> feature.name() + ":" + feature.kind().word())
                .toList());
    assertThat(manifest.get("allowed_asset_types").get(0).asString())
        .isEqualTo(model.assetType().word());
    List<String> allowed = new ArrayList<>();
    manifest.get("allowed_feature_kinds").forEach(kind -> allowed.add(kind.asString()));
    assertThat(allowed)
        .containsExactlyInAnyOrderElementsOf(
            model.features().stream().map(feature -> feature.kind().word()).distinct().toList());
  }
}
