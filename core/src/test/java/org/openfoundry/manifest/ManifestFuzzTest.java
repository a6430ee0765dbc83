package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.snakeyaml.engine.v2.api.YamlUnicodeReader;

/**
 * Coverage-guided fuzzing of the manifest loader: any bytes, and YAML put together from fragments
 * of real manifests, either load into a manifest whose canonical JSON reads back the same, or fail
 * with {@code INVALID_MANIFEST}. Seeds are in {@code ManifestFuzzTestInputs}.
 */
class ManifestFuzzTest {

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_bytes_load_as_a_manifest_or_fail_as_an_invalid_manifest(byte[] input) {
    load(new YamlUnicodeReader(new ByteArrayInputStream(input)));
  }

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void manifests_built_from_fragments_load_or_fail_as_an_invalid_manifest(FuzzedDataProvider data) {
    load(new StringReader(new ManifestFragments(data).document()));
  }

  private static void load(Reader text) {
    LoadedManifest loaded;
    try {
      loaded = new ManifestLoader().load("model.yaml", text);
    } catch (FoundryException invalid) {
      assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
      assertThat(invalid.problems()).isNotEmpty();
      return;
    }
    Manifest manifest = loaded.manifest();
    Manifest stored = Manifest.fromJson(manifest.toJson(), manifest.secrets());
    assertThat(stored.toJson()).isEqualTo(manifest.toJson());
    assertThat(loaded.warnings()).allMatch(warning -> !warning.isError());
  }

  /** A manifest's YAML made of keys and values that the fuzzer picks from those manifests use. */
  private static final class ManifestFragments {
    private static final List<String> TOP_KEYS =
        List.of(
            "name",
            "inference_endpoint",
            "secrets",
            "requests_per_second",
            "description",
            "readme",
            "allowed_asset_types",
            "allowed_feature_kinds",
            "ontology",
            "inference_params_json_schema",
            "max_tokens",
            "auth",
            "timeouts",
            "max_concurrency",
            "max_attempts",
            "max_response_bytes",
            "adapter",
            "adapter_options",
            "nmae");
    private static final List<String> INNER_KEYS =
        List.of(
            "media_type",
            "tools",
            "classifications",
            "name",
            "tool",
            "color",
            "type",
            "kind",
            "instructions",
            "required",
            "options",
            "label",
            "value",
            "position",
            "properties",
            "default",
            "minimum",
            "maximum",
            "enum",
            "pattern",
            "patternProperties",
            "items",
            "$ref",
            "$defs",
            "$schema",
            "const",
            "header",
            "scheme",
            "connect",
            "read",
            "total",
            "featureSchemaId",
            "x");
    private static final List<String> SCALARS =
        List.of(
            "My model",
            "https://models.example.com/predict",
            "http://[::1]:8080/predict",
            "ftp://models.example.com/",
            "https://user:pw@models.example.com/",
            "image",
            "TEXT",
            "conversational",
            "rectangle",
            "raster-segmentation",
            "named-entity",
            "polyline",
            "radio",
            "checklist",
            "text",
            "object",
            "string",
            "number",
            "integer",
            "boolean",
            "array",
            "\"#f00\"",
            "Authorization",
            "Bearer",
            "10s",
            "1.5m",
            "250ms",
            "2 per minute",
            "10/s",
            "32 MiB",
            "1gb",
            "https://json-schema.org/draft/2020-12/schema",
            "http://json-schema.org/draft-07/schema#",
            "\"#/$defs/x\"",
            "\"^[a-z]+$\"",
            "\"(a+)+$\"",
            "\"[\"",
            "0",
            "-1",
            "1",
            "0.25",
            "1e309",
            ".inf",
            ".nan",
            "0x1F",
            "0o17",
            "1_000",
            "99999999999999999999999",
            "true",
            "False",
            "null",
            "~",
            "\"\"",
            "!!binary aGVsbG8=",
            "!!str 12",
            "!custom x",
            "|\n  block text\n",
            "\"tab\\there\"",
            "\"\\u0000\"");

    private final FuzzedDataProvider data;
    private final StringBuilder yaml = new StringBuilder();
    private int anchors;

    ManifestFragments(FuzzedDataProvider data) {
      this.data = data;
    }

    String document() {
      int entries = data.consumeInt(0, 12);
      for (int entry = 0; entry < entries && data.remainingBytes() > 0; entry++) {
        yaml.append(data.pickValue(TOP_KEYS)).append(':');
        value(1, 0);
      }
      return yaml.toString();
    }

    private void value(int depth, int indent) {
      int choice = depth > 6 ? 0 : data.consumeInt(0, 5);
      switch (choice) {
        case 1 -> mapping(depth, indent + 2);
        case 2 -> sequence(depth, indent + 2);
        case 3 -> flowSequence();
        case 4 -> aliasOrAnchor(depth, indent);
        default -> yaml.append(' ').append(data.pickValue(SCALARS)).append('\n');
      }
    }

    private void mapping(int depth, int indent) {
      yaml.append('\n');
      int entries = data.consumeInt(1, 5);
      for (int entry = 0; entry < entries; entry++) {
        yaml.repeat(" ", indent).append(data.pickValue(INNER_KEYS)).append(':');
        value(depth + 1, indent);
      }
    }

    private void sequence(int depth, int indent) {
      yaml.append('\n');
      int items = data.consumeInt(1, 4);
      for (int item = 0; item < items; item++) {
        yaml.repeat(" ", indent).append("- ").append(data.pickValue(INNER_KEYS)).append(':');
        value(depth + 1, indent + 2);
      }
    }

    private void flowSequence() {
      yaml.append(" [");
      int items = data.consumeInt(0, 4);
      for (int item = 0; item < items; item++) {
        yaml.append(item == 0 ? "" : ", ").append(data.pickValue(SCALARS).strip());
      }
      yaml.append("]\n");
    }

    private void aliasOrAnchor(int depth, int indent) {
      if (anchors > 0 && data.consumeBoolean()) {
        yaml.append(" *a").append(data.consumeInt(0, anchors - 1)).append('\n');
        return;
      }
      yaml.append(" &a").append(anchors++);
      if (data.consumeBoolean()) {
        mapping(depth, indent + 2);
      } else {
        yaml.append(' ').append(data.pickValue(SCALARS)).append('\n');
      }
    }
  }
}
