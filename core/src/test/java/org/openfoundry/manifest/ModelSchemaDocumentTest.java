package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The published JSON Schema of model.yaml agrees with what the loader accepts. */
class ModelSchemaDocumentTest {
  private static final Path SCHEMA = Path.of("..", "docs", "model.schema.json");

  private final Schema schema =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(JsonMapper.shared().readTree(read(SCHEMA)));

  static Stream<Path> validManifests() {
    Path fixtures = Path.of("src", "test", "resources", "manifests");
    return Stream.of(
        Path.of("..", "examples", "model.yaml"),
        fixtures.resolve("minimal.yaml"),
        fixtures.resolve("entities.yaml"),
        fixtures.resolve("segmentation.yaml"));
  }

  @ParameterizedTest
  @MethodSource("validManifests")
  void accepts_every_manifest_the_loader_accepts(Path file) throws Exception {
    new ManifestLoader().load(file);

    assertThat(schema.validate(tree(file))).isEmpty();
  }

  @Test
  void rejects_a_manifest_with_wrong_values_and_an_unknown_key() {
    JsonNode manifest =
        yaml(
            """
            name: m
            inference_endpoint: ftp://models.example.com/predict
            requests_per_second: -1
            allowed_asset_types: [audio]
            max_attempts: 50
            requests_per_secnd: 2
            """);

    assertThat(schema.validate(manifest))
        .extracting(error -> error.getInstanceLocation().toString())
        .contains(
            "/inference_endpoint",
            "/requests_per_second",
            "/allowed_asset_types/0",
            "/max_attempts",
            "");
  }

  @Test
  void rejects_a_manifest_without_its_required_keys() {
    List<Error> errors = schema.validate(yaml("description: nameless\n"));

    assertThat(errors).extracting(Error::getProperty).contains("name", "inference_endpoint");
  }

  @Test
  void describes_every_key_the_loader_reads() {
    JsonNode properties = JsonMapper.shared().readTree(read(SCHEMA)).get("properties");

    assertThat(properties.propertyNames()).containsExactlyElementsOf(ManifestReader.KEYS);
  }

  private static JsonNode tree(Path file) throws Exception {
    try (Reader reader = Files.newBufferedReader(file)) {
      return YamlTree.parse(file.toString(), reader).root().orElseThrow();
    }
  }

  private static JsonNode yaml(String text) {
    return YamlTree.parse("model.yaml", new StringReader(text)).root().orElseThrow();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
