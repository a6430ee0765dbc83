package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

class AdapterRegistryTest {
  private static final URI ENDPOINT = URI.create("https://models.example.com/predict");
  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  @Test
  void knows_every_built_in_adapter_with_ours_first() {
    assertThat(registry.names())
        .containsExactly(
            "openfoundry",
            "openai",
            "gemini",
            "vertex-predict",
            "huggingface",
            "replicate",
            "databricks",
            "jsonata");
    assertThat(registry.defaultAdapter(ENDPOINT).name()).isEqualTo("openfoundry");
    for (String name : registry.names()) {
      assertThat(registry.check(name, Fixtures.config(ENDPOINT, minimalOptions(name))))
          .as(name)
          .isEmpty();
      assertThat(registry.create(name, Fixtures.config(ENDPOINT, minimalOptions(name))).name())
          .isEqualTo(name);
    }
  }

  private static String minimalOptions(String name) {
    return switch (name) {
      case "openai" -> "{\"model\": \"gpt-4o-mini\"}";
      case "huggingface" -> "{\"task\": \"object-detection\"}";
      case "jsonata" -> "{\"request_mapping\": \"$\"}";
      default -> "{}";
    };
  }

  @Test
  void names_an_unknown_adapter_and_the_known_ones() {
    assertThat(registry.check("sagemaker", Fixtures.config(ENDPOINT, "{}")))
        .extracting(Problem::format)
        .containsExactly(
            "adapter: unknown adapter \"sagemaker\", expected one of openfoundry, openai, gemini,"
                + " vertex-predict, huggingface, replicate, databricks, jsonata");
  }

  @Test
  void reports_every_bad_option_at_once() {
    assertThatThrownBy(
            () ->
                registry.create(
                    "openai",
                    Fixtures.config(
                        ENDPOINT, "{\"model\": 4, \"answer\": \"yaml\", \"temprature\": 0.3}")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
              assertThat(error.problems())
                  .extracting(Problem::format)
                  .containsExactly(
                      "adapter_options.model: expected a non-empty string, got 4",
                      "adapter_options.answer: expected one of auto, json, text, got \"yaml\"",
                      "adapter_options.temprature: unknown option of the openai adapter, expected one"
                          + " of model, max_tokens_field, extra_body, answer, text_feature,"
                          + " system_prompt, prompt, image_input");
            });
  }
}
