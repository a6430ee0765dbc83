package org.openfoundry.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ParameterSchemaTest {
  private static final ParameterSchema EXAMPLE =
      ParameterSchema.of(
          json(
              """
              {"properties": {
                 "prompt": {"type": "string", "default": ""},
                 "confidence": {"type": "number", "default": 0.25, "minimum": 0.0, "maximum": 1.0},
                 "max_new_tokens": {"type": "integer", "default": 1024, "minimum": 100,
                                    "maximum": 4096},
                 "use_attachments": {"type": "boolean", "default": false},
                 "mode": {"enum": ["fast", "accurate"]},
                 "seed": {"type": ["integer", "null"]},
                 "labels": {"type": "array", "items": {"type": "string"}}},
               "required": ["prompt"]}
              """));

  @Test
  void fills_in_the_defaults_of_the_parameters_left_out() {
    assertThat(EXAMPLE.resolve(json("{\"confidence\": 0.5}")))
        .isEqualTo(
            json(
                """
                {"confidence": 0.5, "prompt": "", "max_new_tokens": 1024, "use_attachments": false}
                """));
  }

  @Test
  void never_overwrites_a_given_value_with_its_default() {
    assertThat(EXAMPLE.resolve(json("{\"prompt\": \"hi\", \"max_new_tokens\": 100}")).get("prompt"))
        .isEqualTo(json("\"hi\""));
  }

  @Test
  void resolves_nothing_given_to_the_defaults() {
    assertThat(EXAMPLE.resolve(null).propertyNames())
        .containsExactly("prompt", "confidence", "max_new_tokens", "use_attachments");
  }

  @Test
  void leaves_the_given_parameters_unchanged() {
    JsonNode given = json("{\"confidence\": 0.5}");

    EXAMPLE.resolve(given);

    assertThat(given).isEqualTo(json("{\"confidence\": 0.5}"));
  }

  @Test
  void reports_every_invalid_parameter_at_once_by_name() {
    assertThat(
            problems(
                EXAMPLE,
                """
                {"confidence": 1.5, "max_new_tokens": 50, "use_attachments": "yes",
                 "mode": "fsat", "seed": 1.5, "labels": ["a", 2]}
                """))
        .containsExactlyInAnyOrder(
            "confidence: must be at most 1.0, got 1.5",
            "max_new_tokens: must be at least 100, got 50",
            "use_attachments: expected a boolean, got \"yes\"",
            "mode: expected one of \"fast\", \"accurate\", got \"fsat\" (did you mean \"fast\"?)",
            "seed: expected an integer or null, got 1.5",
            "labels[1]: expected a string, got 2");
  }

  @Test
  void never_coerces_a_string_into_a_number() {
    assertThat(problems(EXAMPLE, "{\"confidence\": \"0.5\"}"))
        .containsExactly("confidence: expected a number, got \"0.5\"");
  }

  @Test
  void enforces_a_required_parameter_that_has_no_default() {
    ParameterSchema schema =
        ParameterSchema.of(
            json(
                """
                {"properties": {"prompt": {"type": "string"}, "n": {"type": "integer"}},
                 "required": ["prompt", "n"]}
                """));

    assertThat(problems(schema, "{}")).containsExactly("prompt: is required", "n: is required");
  }

  @Test
  void satisfies_a_required_parameter_with_its_default() {
    assertThat(EXAMPLE.resolve(json("{}")).get("prompt")).isEqualTo(json("\"\""));
  }

  @Test
  void rejects_parameters_the_schema_does_not_allow_and_suggests_the_closest() {
    ParameterSchema closed =
        ParameterSchema.of(
            json(
                """
                {"properties": {"temperature": {"type": "number"}},
                 "additionalProperties": false}
                """));

    assertThat(problems(closed, "{\"temprature\": 0.2}"))
        .containsExactly("temprature: is not allowed here (did you mean `temperature`?)");
  }

  @Test
  void accepts_any_object_when_the_manifest_declares_no_schema() {
    JsonNode free = json("{\"anything\": [1, 2], \"goes\": {\"deep\": true}}");

    assertThat(ParameterSchema.none().resolve(free)).isEqualTo(free);
    assertThat(ParameterSchema.none().isDeclared()).isFalse();
    assertThat(ParameterSchema.none().parameters()).isEmpty();
  }

  @Test
  void rejects_parameters_that_are_not_an_object() {
    assertThatThrownBy(() -> ParameterSchema.none().resolve(json("[1, 2]")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> {
              assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS);
              assertThat(thrown.getMessage())
                  .isEqualTo(
                      "the inference parameters must be an object of named values, got a list");
            });
  }

  @Test
  void validates_a_draft_07_schema_by_its_own_rules() {
    ParameterSchema draft07 =
        ParameterSchema.of(
            json(
                """
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "properties": {"top_k": {"type": "integer", "exclusiveMaximum": 100}}}
                """));

    assertThat(draft07.dialect()).contains("http://json-schema.org/draft-07/schema#");
    assertThat(problems(draft07, "{\"top_k\": 100}"))
        .containsExactly("top_k: must be less than 100, got 100");
  }

  @Test
  void parses_command_line_assignments_by_the_declared_types() {
    assertThat(
            EXAMPLE.parseAssignments(
                List.of(
                    "prompt=0.5",
                    "confidence=0.5",
                    "max_new_tokens=2048",
                    "use_attachments=true",
                    "seed=null",
                    "labels=[\"cat\", \"dog\"]",
                    "mode=fast",
                    "extra={\"a\": 1}",
                    "free=plain words")))
        .isEqualTo(
            json(
                """
                {"prompt": "0.5", "confidence": 0.5, "max_new_tokens": 2048,
                 "use_attachments": true, "seed": null, "labels": ["cat", "dog"], "mode": "fast",
                 "extra": {"a": 1}, "free": "plain words"}
                """));
  }

  @Test
  void reports_every_assignment_that_does_not_fit_its_type() {
    assertThat(
            assignmentProblems(
                "confidence=high",
                "max_new_tokens=1.5",
                "use_attachments=yes",
                "seed=x",
                "labels=cat",
                "no equals sign",
                "prompt=a",
                "prompt=b"))
        .containsExactly(
            "confidence: expected a number, got \"high\"",
            "max_new_tokens: expected an integer, got \"1.5\"",
            "use_attachments: expected a boolean, got \"yes\"",
            "seed: expected an integer or null, got \"x\"",
            "labels: expected an array, got \"cat\"",
            "expected name=value, got \"no equals sign\"",
            "prompt: is given twice");
  }

  @Test
  void refuses_an_assignment_whose_json_passes_the_limits_instead_of_taking_it_as_text() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThat(assignmentProblems("labels=" + deep, "free=" + deep))
        .containsExactly(
            "labels: the value is too large to read: values are nested more than 64 levels deep",
            "free: the value is too large to read: values are nested more than 64 levels deep");
  }

  private static List<String> assignmentProblems(String... assignments) {
    try {
      EXAMPLE.parseAssignments(List.of(assignments));
    } catch (FoundryException thrown) {
      return thrown.problems().stream().map(Problem::format).toList();
    }
    throw new AssertionError("the assignments were accepted");
  }

  @Test
  void lists_the_parameters_with_types_defaults_and_required_ones() {
    assertThat(EXAMPLE.parameters())
        .extracting(Parameter::name, Parameter::required)
        .startsWith(tuple("prompt", true), tuple("confidence", false));
    assertThat(EXAMPLE.parameters().get(5).types()).containsExactly("integer", "null");
  }

  @Test
  void checks_a_default_that_refers_to_shared_definitions() {
    Problems problems = new Problems();

    ParameterSchema.read(
        json(
            """
            {"$defs": {"unit": {"type": "number", "minimum": 0, "maximum": 1}},
             "properties": {"threshold": {"$ref": "#/$defs/unit", "default": 2}}}
            """),
        "schema",
        problems);

    assertThat(problems.all())
        .extracting(Problem::format)
        .containsExactly(
            "schema.properties.threshold.default: must be at most 1, got 2 (a default must fit its"
                + " own schema)");
  }

  @Test
  void compares_schemas_by_their_json() {
    assertThat(ParameterSchema.of(json("{\"properties\": {}}")))
        .isEqualTo(ParameterSchema.of(json("{\"properties\": {}}")))
        .isNotEqualTo(ParameterSchema.none());
  }

  private static List<String> problems(ParameterSchema schema, String given) {
    try {
      schema.resolve(json(given));
    } catch (FoundryException thrown) {
      assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS);
      return thrown.problems().stream().map(Problem::format).toList();
    }
    throw new AssertionError("expected the parameters to be invalid: " + given);
  }

  private static JsonNode json(String text) {
    return JsonMapper.shared().readTree(text);
  }
}
