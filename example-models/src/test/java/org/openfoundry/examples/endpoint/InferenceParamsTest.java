package org.openfoundry.examples.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class InferenceParamsTest {

  @Test
  void falls_back_to_the_default_when_a_parameter_is_absent_or_null() {
    InferenceParams params = params("{\"confidence\": null}");

    assertThat(params.number("confidence", 0, 1, 0.25)).isEqualTo(0.25);
    assertThat(params.integer("min_area", 1, 100, 60)).isEqualTo(60);
  }

  @Test
  void rejects_a_number_out_of_range_naming_the_parameter_and_the_value() {
    InferenceParams params = params("{\"confidence\": 1.5}");

    assertThatThrownBy(() -> params.number("confidence", 0, 1, 0.25))
        .isInstanceOf(FoundryException.class)
        .hasMessage(
            "bad inference parameter: inference_params.confidence: expected a number from 0 to 1,"
                + " got 1.5");
  }

  @Test
  void rejects_text_where_a_number_is_expected() {
    InferenceParams params = params("{\"confidence\": \"high\"}");

    assertThatThrownBy(() -> params.number("confidence", 0, 1, 0.25))
        .hasMessageContaining("got \"high\"");
  }

  @Test
  void accepts_a_whole_number_written_with_a_decimal_point_and_rejects_a_fraction() {
    assertThat(params("{\"min_area\": 80.0}").integer("min_area", 1, 100, 60)).isEqualTo(80);
    assertThatThrownBy(() -> params("{\"min_area\": 80.5}").integer("min_area", 1, 100, 60))
        .hasMessageContaining("inference_params.min_area: expected a whole number from 1 to 100");
  }

  private static InferenceParams params(String json) {
    return new InferenceParams((ObjectNode) JsonMapper.builder().build().readTree(json));
  }
}
