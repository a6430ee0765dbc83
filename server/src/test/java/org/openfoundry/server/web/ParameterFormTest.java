package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openfoundry.params.ParameterSchema;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ParameterFormTest {
  private static final ParameterSchema SCHEMA =
      ParameterSchema.of(
          JsonMapper.builder()
              .build()
              .readTree(
                  """
                  {"properties": {
                     "confidence": {"type": "number", "default": 0.25, "minimum": 0, "maximum": 1,
                                    "description": "Boxes under this score are dropped"},
                     "max_new_tokens": {"type": "integer", "default": 1024, "exclusiveMinimum": 0},
                     "mode": {"type": "string", "enum": ["fast", "accurate"]},
                     "prompt": {"type": "string"},
                     "use_attachments": {"type": "boolean", "default": false},
                     "stop": {"type": "array", "items": {"type": "string"}}},
                   "required": ["prompt"]}
                  """));

  @Test
  void gives_each_parameter_the_control_its_schema_calls_for() {
    List<ParameterForm.Field> fields =
        ParameterForm.fields(SCHEMA, name -> null, FieldErrors.none());

    assertThat(fields)
        .extracting(ParameterForm.Field::name, ParameterForm.Field::control)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("confidence", ParameterForm.Control.NUMBER),
            org.assertj.core.groups.Tuple.tuple("max_new_tokens", ParameterForm.Control.INTEGER),
            org.assertj.core.groups.Tuple.tuple("mode", ParameterForm.Control.SELECT),
            org.assertj.core.groups.Tuple.tuple("prompt", ParameterForm.Control.LONG_TEXT),
            org.assertj.core.groups.Tuple.tuple("use_attachments", ParameterForm.Control.CHECKBOX),
            org.assertj.core.groups.Tuple.tuple("stop", ParameterForm.Control.JSON));
    ParameterForm.Field confidence = fields.getFirst();
    assertThat(confidence.value()).isEqualTo("0.25");
    assertThat(confidence.min()).isEqualTo("0");
    assertThat(confidence.max()).isEqualTo("1");
    assertThat(confidence.help()).isEqualTo("Boxes under this score are dropped");
    assertThat(fields.get(1).min()).isEqualTo("0");
    assertThat(fields.get(1).step()).isEqualTo("1");
    assertThat(fields.get(2).options()).containsExactly("fast", "accurate");
    assertThat(fields.get(3).required()).isTrue();
  }

  @Test
  void fills_the_controls_with_what_was_submitted_and_the_errors_next_to_them() {
    List<ParameterForm.Field> fields =
        ParameterForm.fields(
            SCHEMA,
            name -> name.equals("param.confidence") ? "7" : null,
            new FieldErrors(Map.of("confidence", "expected at most 1, got 7"), List.of()));

    assertThat(fields.getFirst().value()).isEqualTo("7");
    assertThat(fields.getFirst().error()).isEqualTo("expected at most 1, got 7");
    assertThat(fields.get(1).error()).isNull();
  }

  @Test
  void reads_the_submitted_strings_back_as_typed_json() {
    ObjectNode values =
        ParameterForm.read(
            SCHEMA,
            Map.of(
                    "param.confidence", List.of("0.5"),
                    "param.max_new_tokens", List.of("2048"),
                    "param.mode", List.of("accurate"),
                    "param.prompt", List.of("Find the cars"),
                    "param.use_attachments", List.of("false", "true"),
                    "param.stop", List.of("[\"END\"]"))
                ::get);

    assertThat(values.toString())
        .isEqualTo(
            "{\"confidence\":0.5,\"max_new_tokens\":2048,\"mode\":\"accurate\","
                + "\"prompt\":\"Find the cars\",\"use_attachments\":true,\"stop\":[\"END\"]}");
    assertThat(SCHEMA.resolve(values).get("confidence").asDouble()).isEqualTo(0.5);
  }

  @Test
  void leaves_empty_fields_to_the_defaults_and_unchecked_boxes_false() {
    ObjectNode values =
        ParameterForm.read(
            SCHEMA,
            Map.of("param.confidence", List.of(""), "param.use_attachments", List.of("false"))
                ::get);

    assertThat(values.toString()).isEqualTo("{\"use_attachments\":false}");
  }

  @Test
  void passes_what_it_cannot_convert_on_so_that_the_schema_says_what_it_expected() {
    ObjectNode values =
        ParameterForm.read(
            SCHEMA,
            Map.of(
                    "param.confidence", List.of("high"),
                    "param.max_new_tokens", List.of("1.5"),
                    "param.prompt", List.of("x"))
                ::get);

    assertThat(values.get("confidence").isString()).isTrue();
    assertThatThrownBy(() -> SCHEMA.resolve(values))
        .isInstanceOf(FoundryException.class)
        .satisfies(
            failure ->
                assertThat(((FoundryException) failure).problems())
                    .extracting(problem -> problem.path())
                    .contains("confidence", "max_new_tokens"));
  }

  @Test
  void refuses_json_parameters_that_are_not_json_naming_the_parameter() {
    assertThatThrownBy(
            () -> ParameterForm.read(SCHEMA, Map.of("param.stop", List.of("[unclosed"))::get))
        .isInstanceOf(FoundryException.class)
        .satisfies(
            failure ->
                assertThat(((FoundryException) failure).problems().getFirst().path())
                    .isEqualTo("stop"));
  }
}
