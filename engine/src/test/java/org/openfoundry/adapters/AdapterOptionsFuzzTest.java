package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Coverage-guided fuzzing of a manifest's {@code adapter_options}: any JSON, and options built from
 * the keys and values the built-in adapters read, are either accepted by each adapter (which then
 * builds) or refused with problems under {@code adapter_options}; never an exception. Seeds are in
 * {@code AdapterOptionsFuzzTestInputs}.
 */
class AdapterOptionsFuzzTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AdapterRegistry REGISTRY = new AdapterRegistry(Fixtures.environment());
  private static final URI ENDPOINT = URI.create("https://models.example.com/v1/predict");

  /** Every option some built-in adapter reads, and one that none does. */
  private static final List<String> KEYS =
      List.of(
          "answer",
          "chat_format",
          "chat_request_mapping",
          "classification",
          "extra_body",
          "forward_params",
          "generation_config",
          "image_input",
          "image_input_key",
          "include_ids",
          "input",
          "input_format",
          "instance_key",
          "label_map",
          "max_tokens_field",
          "model",
          "parameters",
          "poll_interval_seconds",
          "prediction_key",
          "prefer_wait_seconds",
          "prompt",
          "prompt_column",
          "prompt_input_key",
          "request_mapping",
          "response_mapping",
          "row_column",
          "safety_settings",
          "send_params",
          "system_prompt",
          "system_prompt_input_key",
          "task",
          "text_feature",
          "text_mapping",
          "threshold",
          "timeout_millis",
          "total_timeout_seconds",
          "version",
          "no_such_option");

  /** Words the adapters accept somewhere, JSONata mappings, and text that is none of those. */
  private static final List<String> WORDS =
      List.of(
          "auto",
          "words",
          "text",
          "boxes",
          "url",
          "inline",
          "object-detection",
          "image-classification",
          "token-classification",
          "image-segmentation",
          "messages",
          "inputs",
          "instances",
          "dataframe_records",
          "max_completion_tokens",
          "gpt-4o-mini",
          "{\"image\": data_row.row_data, \"params\": inference_params}",
          "$.objects.{\"cat\": {\"boxes\": [[x, y, w, h]]}}",
          "choices[0].message.content",
          "$f := function($x) { $f($x) }; $f(1)",
          "a.b.]",
          "(((",
          "",
          " ");

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_json_as_adapter_options_is_accepted_or_reported_for_every_adapter(byte[] input) {
    if (input.length == 0) {
      return;
    }
    // The first byte names the option that JSON other than an object is given as.
    String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = UntrustedJson.mapper().readTree(text);
    } catch (JacksonException notJson) {
      json = NODES.stringNode(text);
    }
    if (json == null || json.isMissingNode()) {
      json = NODES.stringNode(text);
    }
    if (json instanceof ObjectNode options) {
      checkEveryAdapter(options);
      return;
    }
    ObjectNode options = NODES.objectNode();
    options.set(KEYS.get(Byte.toUnsignedInt(input[0]) % KEYS.size()), json);
    checkEveryAdapter(options);
  }

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void options_built_from_adapter_keys_are_accepted_or_reported_for_every_adapter(
      FuzzedDataProvider data) {
    ObjectNode options = NODES.objectNode();
    int entries = data.consumeInt(0, 6);
    for (int entry = 0; entry < entries; entry++) {
      options.set(data.pickValue(KEYS), value(data, 0));
    }
    checkEveryAdapter(options);
  }

  private static JsonNode value(FuzzedDataProvider data, int depth) {
    int kind = data.consumeInt(0, depth < 3 ? 8 : 5);
    return switch (kind) {
      case 0 -> NODES.stringNode(data.pickValue(WORDS));
      case 1 -> NODES.stringNode(data.consumeString(64));
      case 2 -> NODES.numberNode(data.consumeInt());
      case 3 -> NODES.numberNode(data.consumeDouble());
      case 4 -> NODES.booleanNode(data.consumeBoolean());
      case 5 -> NODES.nullNode();
      case 6 -> {
        ArrayNode array = NODES.arrayNode();
        int items = data.consumeInt(0, 4);
        for (int item = 0; item < items; item++) {
          array.add(value(data, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        int fields = data.consumeInt(0, 4);
        for (int field = 0; field < fields; field++) {
          object.set(
              data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(12),
              value(data, depth + 1));
        }
        yield object;
      }
    };
  }

  private static void checkEveryAdapter(ObjectNode options) {
    AdapterConfig config = new AdapterConfig(ENDPOINT, options);
    for (String name : REGISTRY.names()) {
      List<Problem> problems = REGISTRY.check(name, config);
      assertThat(problems)
          .as(name)
          .allSatisfy(
              problem -> {
                assertThat(problem.path()).startsWith("adapter_options");
                assertThat(problem.message()).isNotBlank();
              });
      if (problems.stream().anyMatch(Problem::isError)) {
        assertThatThrownBy(() -> REGISTRY.create(name, config))
            .isInstanceOfSatisfying(
                FoundryException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_MANIFEST));
      } else {
        assertThat(REGISTRY.create(name, config).name()).isEqualTo(name);
      }
    }
  }
}
