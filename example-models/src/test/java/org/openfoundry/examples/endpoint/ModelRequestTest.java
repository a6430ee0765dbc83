package org.openfoundry.examples.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelRequestTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void reads_the_data_row_ontology_and_parameters() {
    ModelRequest request =
        parse(
            """
            {"data_row": {"id": "dr_1", "global_key": "scene-01.png", "row_data": "http://host/a.png"},
             "ontology": {"media_type": "IMAGE",
               "tools": [{"name": "car", "tool": "rectangle"}],
               "classifications": [{"name": "weather", "type": "radio",
                 "options": [{"label": "Clear", "value": "clear"}, {"label": "Cloudy"}]}]},
             "inference_params": {"confidence": 0.5}}
            """);

    assertThat(request.dataRow().rowData()).isEqualTo("http://host/a.png");
    assertThat(request.dataRow().globalKey()).contains("scene-01.png");
    assertThat(request.ontology().tools()).containsExactly(Tool.of("car", FeatureKind.RECTANGLE));
    Classification weather = request.ontology().classifications().getFirst();
    assertThat(weather.kind()).isEqualTo(FeatureKind.RADIO);
    assertThat(weather.options())
        .extracting(option -> option.value())
        .containsExactly("clear", "Cloudy");
    assertThat(request.params().number("confidence", 0, 1, 0.25)).isEqualTo(0.5);
  }

  @Test
  void reports_every_problem_of_a_bad_body_with_its_path() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    {"data_row": {"row_data": 42, "global_key": 7},
                     "ontology": {"tools": [{"name": "car", "tool": "blob"}, "x"]},
                     "inference_params": []}
                    """))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(failure.problems())
                  .extracting(Problem::format)
                  .containsExactly(
                      "data_row.row_data: expected a string (a URL, or the text itself), got 42",
                      "data_row.global_key: expected a string, got 7",
                      "ontology.tools[0].tool: expected one of [rectangle, raster-segmentation,"
                          + " named-entity, polygon, point, edge], got \"blob\"",
                      "ontology.tools[1]: expected an object, got a string",
                      "inference_params: expected an object, got an array");
            });
  }

  @Test
  void refuses_a_body_that_is_not_an_object() {
    assertThatThrownBy(() -> ModelRequest.parse(JSON.readTree("[1, 2]")))
        .isInstanceOf(FoundryException.class)
        .hasMessage("bad request body")
        .extracting(failure -> ((FoundryException) failure).problems().getFirst().message())
        .isEqualTo("expected a JSON object, got an array");
  }

  @Test
  void refuses_a_body_without_a_data_row() {
    assertThatThrownBy(() -> parse("{\"ontology\": {}}"))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure ->
                assertThat(failure.problems().getFirst().format())
                    .isEqualTo("data_row: expected an object with row_data, got nothing"));
  }

  @Test
  void answers_every_known_feature_when_the_ontology_names_none() {
    List<Feature> known =
        List.of(Tool.of("car", FeatureKind.RECTANGLE), Classification.radio("weather", "clear"));

    assertThat(parse("{\"data_row\": {\"row_data\": \"x\"}}").featuresToAnswer(known))
        .isEqualTo(known);
  }

  @Test
  void answers_only_the_requested_features_it_knows_as_the_request_spells_them() {
    ModelRequest request =
        parse(
            """
            {"data_row": {"row_data": "x"},
             "ontology": {"tools": [{"name": "Car", "tool": "raster-segmentation"},
                                    {"name": "boat", "tool": "rectangle"}]}}
            """);
    List<Feature> known =
        List.of(Tool.of("car", FeatureKind.RECTANGLE), Tool.of("sun", FeatureKind.RECTANGLE));

    assertThat(request.featuresToAnswer(known))
        .containsExactly(Tool.of("Car", FeatureKind.RASTER_SEGMENTATION));
  }

  private static ModelRequest parse(String json) {
    JsonNode body = JSON.readTree(json);
    return ModelRequest.parse(body);
  }
}
