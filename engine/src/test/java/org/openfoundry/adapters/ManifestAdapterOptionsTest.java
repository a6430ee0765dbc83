package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

class ManifestAdapterOptionsTest {
  private static final String JSONATA =
      """
      name: Vendor detector
      inference_endpoint: https://vendor.example.com/detect
      adapter: jsonata
      adapter_options:
      """;

  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());
  private final ManifestLoader loader = new ManifestLoader(registry);

  @Test
  void loads_a_manifest_with_an_adapter_and_builds_it() {
    LoadedManifest loaded =
        loader.load(
            "model.yaml",
            """
            name: Captioner
            inference_endpoint: https://api.example.com/v1/chat/completions
            adapter: openai
            adapter_options:
              model: gpt-4o-mini
              answer: text
            """);

    Adapter adapter = registry.forManifest(loaded.manifest());

    assertThat(adapter.name()).isEqualTo("openai");
    assertThat(loaded.manifest().endpoint().adapterOptions().path("model").stringValue())
        .isEqualTo("gpt-4o-mini");
    assertThat(loaded.manifest().toJson().at("/adapter_options/answer").stringValue())
        .isEqualTo("text");
  }

  @Test
  void reports_bad_adapter_options_at_their_line() {
    assertThat(
            problemsOf(
                JSONATA
                    + """
                  request_mapping: |
                    {
                      "image": data_row.row_data,
                      "size": $count(,
                    }
                  reponse_mapping: objects
                """))
        .containsExactly(
            "model.yaml:5:3 adapter_options.request_mapping: JSONata syntax error at line 3,"
                + " column 18 of the expression: The symbol \",\" cannot be used as a unary"
                + " operator",
            "model.yaml:10:3 adapter_options.reponse_mapping: unknown option of the jsonata"
                + " adapter, expected one of timeout_millis, request_mapping,"
                + " chat_request_mapping, response_mapping, text_mapping");
  }

  @Test
  void reports_a_mapping_nested_too_deeply_at_its_line_instead_of_throwing() {
    String nested = "[".repeat(5_000) + "]".repeat(5_000);

    assertThat(
            problemsOf(
                JSONATA
                    + """
                  request_mapping: "%s"
                  response_mapping: "%s"
                """
                        .formatted(nested, "x".repeat(20_000))))
        .containsExactly(
            "model.yaml:5:3 adapter_options.request_mapping: the JSONata expression is nested"
                + " more than 100 levels deep at line 1, column 101 of the expression",
            "model.yaml:6:3 adapter_options.response_mapping: the JSONata expression is 20000"
                + " characters long, more than the limit of 16384");
  }

  private List<String> problemsOf(String yaml) {
    try {
      loader.load("model.yaml", yaml);
    } catch (FoundryException error) {
      assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
      return error.problems().stream().map(Problem::format).toList();
    }
    throw new AssertionError("the manifest loaded");
  }
}
