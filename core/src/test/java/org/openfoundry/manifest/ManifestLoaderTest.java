package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import org.openfoundry.params.Parameter;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.JsonNodeFactory;

class ManifestLoaderTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "model.yaml");
  private static final Path FIXTURES = Path.of("src", "test", "resources", "manifests");

  private final ManifestLoader loader = new ManifestLoader();

  @Test
  void loads_the_example_manifest_clean_with_every_value() {
    LoadedManifest loaded = loader.load(EXAMPLE);
    Manifest manifest = loaded.manifest();

    assertThat(loaded.warnings()).isEmpty();
    assertThat(manifest.name()).isEqualTo("My custom model");
    assertThat(manifest.inferenceEndpoint())
        .isEqualTo(URI.create("https://models.example.com/predict"));
    assertThat(manifest.secrets().primary()).contains("my_secret");
    assertThat(manifest.rateLimit()).contains(new RateLimit(0.1));
    assertThat(manifest.rateLimit().orElseThrow().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(manifest.description()).contains("My awesome custom model for object recognition");
    assertThat(manifest.readme().orElseThrow())
        .startsWith("### Intended Use\nObject recognition model on my custom classes.\n")
        .endsWith("### Citation\n");
    assertThat(manifest.allowedAssetTypes()).containsExactly(AssetType.IMAGE);
    assertThat(manifest.allowedFeatureKinds())
        .containsExactly(
            FeatureKind.TEXT, FeatureKind.RADIO, FeatureKind.CHECKLIST, FeatureKind.RECTANGLE);
    assertThat(manifest.ontology().mediaType()).contains(AssetType.IMAGE);
    assertThat(manifest.ontology().tools())
        .containsExactly(
            Tool.of("person", FeatureKind.RECTANGLE), Tool.of("bicycle", FeatureKind.RECTANGLE));
    assertThat(manifest.ontology().classifications())
        .containsExactly(
            new Classification(
                "label",
                "label",
                FeatureKind.RADIO,
                false,
                List.of(
                    new Option("tench", "tench", 0, List.of()),
                    new Option("goldfish", "goldfish", 1, List.of()))));
    assertThat(manifest.maxTokens()).isEqualTo(OptionalInt.of(1024));
    assertThat(manifest.endpoint()).isEqualTo(EndpointOptions.defaults());
  }

  @Test
  void reads_the_example_parameters_with_their_defaults_and_the_required_one() {
    List<Parameter> parameters = loader.load(EXAMPLE).manifest().parameters().parameters();
    JsonNodeFactory nodes = JsonNodeFactory.instance;

    assertThat(parameters)
        .extracting(Parameter::name, Parameter::types, Parameter::defaultValue, Parameter::required)
        .containsExactly(
            tuple("prompt", List.of("string"), Optional.of(nodes.stringNode("")), true),
            tuple("confidence", List.of("number"), Optional.of(nodes.numberNode(0.25)), false),
            tuple("max_new_tokens", List.of("integer"), Optional.of(nodes.numberNode(1024)), false),
            tuple(
                "use_attachments",
                List.of("boolean"),
                Optional.of(nodes.booleanNode(false)),
                false));
  }

  @Test
  void loads_a_minimal_manifest_with_every_default() {
    Manifest manifest = loader.load(FIXTURES.resolve("minimal.yaml")).manifest();

    assertThat(manifest.secrets().isEmpty()).isTrue();
    assertThat(manifest.rateLimit()).isEmpty();
    assertThat(manifest.allowedAssetTypes()).isEmpty();
    assertThat(manifest.allowedFeatureKinds()).isEmpty();
    assertThat(manifest.ontology().isEmpty()).isTrue();
    assertThat(manifest.parameters().isDeclared()).isFalse();
    assertThat(manifest.maxTokens()).isEmpty();
    assertThat(manifest.endpoint().auth().header()).isEqualTo("Authorization");
    assertThat(manifest.endpoint().auth().scheme()).isEqualTo("Bearer");
    assertThat(manifest.endpoint().timeouts())
        .isEqualTo(
            new EndpointOptions.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300)));
    assertThat(manifest.endpoint().maxConcurrency()).isEqualTo(8);
    assertThat(manifest.endpoint().maxAttempts()).isEqualTo(5);
    assertThat(manifest.endpoint().maxResponseBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(manifest.endpoint().adapter()).isEqualTo("openfoundry");
  }

  @Test
  void loads_every_endpoint_option_and_named_secrets() {
    Manifest manifest = loader.load(FIXTURES.resolve("entities.yaml")).manifest();

    assertThat(manifest.secrets().primary()).contains("sk-test-entities");
    assertThat(manifest.secrets().named("webhook")).contains("wh-test");
    assertThat(manifest.endpoint())
        .isEqualTo(
            new EndpointOptions(
                new EndpointOptions.Auth("X-Api-Key", ""),
                new EndpointOptions.Timeouts(
                    Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2)),
                2,
                3,
                8L * 1024 * 1024,
                "openai-compatible"));
    assertThat(manifest.endpoint().auth().headerValue("sk-test-entities"))
        .isEqualTo("sk-test-entities");
    assertThat(manifest.allowedFeatureKinds())
        .containsExactly(FeatureKind.NAMED_ENTITY, FeatureKind.CHECKLIST, FeatureKind.RADIO);
    assertThat(manifest.parameters().dialect()).contains("http://json-schema.org/draft-07/schema#");
    assertThat(manifest.ontology().tools().get(1).classifications().getFirst().required()).isTrue();
    assertThat(
            manifest
                .ontology()
                .classifications()
                .getFirst()
                .options()
                .get(1)
                .options()
                .getFirst()
                .options())
        .extracting(Option::value)
        .containsExactly("yes", "no");
  }

  @Test
  void loads_aliases_of_feature_kinds_and_asset_types_in_any_case() {
    Manifest manifest = loader.load(FIXTURES.resolve("segmentation.yaml")).manifest();

    assertThat(manifest.allowedAssetTypes()).containsExactly(AssetType.IMAGE, AssetType.VIDEO);
    assertThat(manifest.allowedFeatureKinds())
        .containsExactly(
            FeatureKind.RASTER_SEGMENTATION,
            FeatureKind.POLYGON,
            FeatureKind.POINT,
            FeatureKind.EDGE);
    assertThat(manifest.ontology().tools())
        .extracting(Tool::kind)
        .containsExactly(
            FeatureKind.RASTER_SEGMENTATION,
            FeatureKind.EDGE,
            FeatureKind.POINT,
            FeatureKind.POLYGON);
    assertThat(manifest.ontology().tools().getFirst().color()).contains("#f00");
    assertThat(manifest.secrets().entries()).hasSize(2);
    assertThat(manifest.rateLimit().orElseThrow().describe())
        .isEqualTo("5 requests/s, one every 200 ms");
  }

  @Test
  void warns_about_an_unknown_key_and_suggests_the_closest_one() {
    LoadedManifest loaded =
        loader.load(
            "model.yaml",
            """
            name: m
            inference_endpoint: https://models.example.com/predict
            requests_per_secnd: 2
            """);

    assertThat(loaded.warnings())
        .extracting(Problem::format)
        .containsExactly(
            "model.yaml:3:1 warning: requests_per_secnd: unknown key, ignored (did you mean"
                + " `requests_per_second`?)");
    assertThat(loaded.manifest().rateLimit()).isEmpty();
  }

  @Test
  void reports_every_problem_at_once_in_the_order_of_the_file_with_warnings_among_them() {
    FoundryException thrown =
        catchInvalid(
            """
            name: ""
            inference_endpont: https://models.example.com/predict
            requests_per_second: 0
            max_tokens: -3
            max_attempts: 21
            """);

    assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
    assertThat(thrown.getMessage()).isEqualTo("model.yaml is not a valid manifest: 5 errors");
    assertThat(thrown.problems())
        .extracting(Problem::format)
        .containsExactly(
            "model.yaml:1:1 name: expected a non-blank name, got \"\"",
            "model.yaml:1:1 inference_endpoint: is required",
            "model.yaml:2:1 warning: inference_endpont: unknown key, ignored (did you mean"
                + " `inference_endpoint`?)",
            "model.yaml:3:1 requests_per_second: expected a positive number of requests per second"
                + " (0.1 means one call every 10 s; leave the key out for no limit), got 0",
            "model.yaml:4:1 max_tokens: expected a positive integer, got -3",
            "model.yaml:5:1 max_attempts: expected an integer from 1 to 20, got 21");
  }

  @Test
  void never_puts_a_secret_in_a_message() {
    FoundryException thrown =
        catchInvalid(
            """
            name: m
            inference_endpoint: https://user:hunter2@models.example.com/predict
            secrets: {api: 987654321, other: "line\\nbreak-secret", nul: "nul\\0secret"}
            """);

    assertThat(thrown.describe())
        .doesNotContain("hunter2", "987654321", "break-secret", "secret\u0000");
    assertThat(thrown.problems())
        .extracting(Problem::format)
        .containsExactly(
            "model.yaml:2:1 inference_endpoint: the URL carries credentials; put them in secrets"
                + " instead",
            "model.yaml:3:11 secrets.api: expected a string, got a number (put it in quotes)",
            "model.yaml:3:27 secrets.other: a secret must not contain a line break or another"
                + " control character (it is sent in a header)",
            "model.yaml:3:56 secrets.nul: a secret must not contain a line break or another"
                + " control character (it is sent in a header)");
  }

  @Test
  void reads_a_file_that_does_not_exist_as_a_clear_problem() {
    assertThatThrownBy(() -> loader.load(FIXTURES.resolve("missing.yaml")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> {
              assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
              assertThat(thrown.describe()).contains("missing.yaml", "cannot read the file");
            });
  }

  private FoundryException catchInvalid(String yaml) {
    try {
      loader.load("model.yaml", yaml);
    } catch (FoundryException thrown) {
      return thrown;
    }
    throw new AssertionError("expected the manifest to be invalid:\n" + yaml);
  }
}
