package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ManifestJsonTest {
  static Stream<Path> manifests() {
    Path fixtures = Path.of("src", "test", "resources", "manifests");
    return Stream.of(
        Path.of("..", "examples", "model.yaml"),
        fixtures.resolve("minimal.yaml"),
        fixtures.resolve("entities.yaml"),
        fixtures.resolve("segmentation.yaml"));
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void reads_its_canonical_json_back_to_an_equal_manifest(Path file) {
    Manifest manifest = new ManifestLoader().load(file).manifest();

    String stored = JsonMapper.shared().writeValueAsString(manifest.toJson());
    Manifest restored = Manifest.fromJson(JsonMapper.shared().readTree(stored), manifest.secrets());

    assertThat(restored).isEqualTo(manifest);
    assertThat(restored.toJson()).isEqualTo(manifest.toJson());
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void leaves_the_secrets_out_of_its_json(Path file) {
    Manifest manifest = new ManifestLoader().load(file).manifest();

    String stored = manifest.toJson().toString();

    assertThat(manifest.toJson().has("secrets")).isFalse();
    manifest
        .secrets()
        .entries()
        .forEach(secret -> assertThat(stored).doesNotContain(secret.value()));
  }

  @Test
  void spells_out_every_endpoint_option_in_its_json() {
    ObjectNode json =
        new ManifestLoader()
            .load(Path.of("src", "test", "resources", "manifests", "minimal.yaml"))
            .manifest()
            .toJson();

    assertThat(json.toString())
        .as("the canonical JSON, keys in their fixed order")
        .isEqualTo(
            JsonMapper.shared()
                .readTree(
                    """
                    {"name": "Minimal model",
                     "inference_endpoint": "http://localhost:8080/predict",
                     "auth": {"header": "Authorization", "scheme": "Bearer"},
                     "timeouts": {"connect": "10s", "read": "1m", "total": "5m"},
                     "max_concurrency": 8, "max_attempts": 5, "max_response_bytes": 33554432,
                     "adapter": "openfoundry", "adapter_options": {}}
                    """)
                .toString());
  }

  @Test
  void refuses_stored_json_that_carries_secrets() {
    ObjectNode json =
        (ObjectNode)
            JsonMapper.shared()
                .readTree(
                    "{\"name\": \"m\", \"inference_endpoint\": \"https://a.example\","
                        + " \"secrets\": \"leaked\"}");

    assertThatThrownBy(() -> Manifest.fromJson(json, Secrets.none()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown ->
                assertThat(thrown.problems())
                    .extracting(Problem::format)
                    .contains("secrets: secrets are kept apart from the manifest's JSON"));
  }

  @Test
  void builds_a_manifest_from_the_registration_form() {
    Manifest manifest =
        Manifest.fromForm(
            new ModelForm(
                "Image",
                "Detector",
                "https://models.example.com/detect",
                Optional.of("token"),
                Optional.of("Finds things")));

    assertThat(manifest.name()).isEqualTo("Detector");
    assertThat(manifest.allowedAssetTypes()).containsExactly(AssetType.IMAGE);
    assertThat(manifest.secrets()).isEqualTo(Secrets.of("token"));
    assertThat(manifest.description()).contains("Finds things");
    assertThat(manifest.endpoint()).isEqualTo(EndpointOptions.defaults());
  }

  @Test
  void treats_blank_optional_form_fields_as_left_out() {
    Manifest manifest =
        Manifest.fromForm(
            new ModelForm(
                "text", "Tagger", "http://tagger:9000/", Optional.of(" "), Optional.of("")));

    assertThat(manifest.secrets().isEmpty()).isTrue();
    assertThat(manifest.description()).isEmpty();
  }

  @Test
  void checks_the_registration_form_like_a_manifest_naming_the_form_fields() {
    assertThatThrownBy(
            () ->
                Manifest.fromForm(
                    new ModelForm(
                        "audio",
                        " ",
                        "models.example.com/detect",
                        Optional.of("two\nlines"),
                        Optional.empty())))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> {
              assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
              assertThat(thrown.problems())
                  .extracting(Problem::format)
                  .containsExactlyInAnyOrder(
                      "data_type: expected image, text, video, html, conversational, got"
                          + " \"audio\"",
                      "name: expected a non-blank name, got \" \"",
                      "inference_endpoint: expected an absolute http or https URL such as"
                          + " https://models.example.com/predict, got"
                          + " \"models.example.com/detect\"",
                      "secret: a secret must not contain a line break or another control"
                          + " character (it is sent in a header)");
            });
  }
}
