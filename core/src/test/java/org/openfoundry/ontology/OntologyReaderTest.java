package org.openfoundry.ontology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OntologyReaderTest {
  private static final String NESTED =
      """
      {"media_type": "image",
       "tools": [
         {"name": "car", "tool": "bbox", "color": "#FF0000",
          "classifications": [
            {"name": "make", "instructions": "Which make?", "type": "radio", "required": true,
             "options": [{"label": "Volvo", "value": "volvo"},
                         {"label": "Other", "value": "other",
                          "options": [{"name": "which", "type": "text"}]}]}]}],
       "classifications": [
         {"instructions": "weather", "type": "checklist",
          "options": [{"value": "rain", "position": 3}, {"label": "snow"}]}]}
      """;

  @Test
  void reads_tools_classifications_options_and_nested_classifications() {
    Ontology ontology = OntologyReader.parse(json(NESTED));

    assertThat(ontology.mediaType()).contains(AssetType.IMAGE);
    Tool car = ontology.tools().getFirst();
    assertThat(car.kind()).isEqualTo(FeatureKind.RECTANGLE);
    assertThat(car.color()).contains("#FF0000");
    Classification make = car.classifications().getFirst();
    assertThat(make.instructions()).isEqualTo("Which make?");
    assertThat(make.required()).isTrue();
    assertThat(make.options().get(1).options()).containsExactly(Classification.text("which"));
    assertThat(ontology.classifications().getFirst().name())
        .as("a classification without a name is named by its instructions")
        .isEqualTo("weather");
    assertThat(ontology.classifications().getFirst().options())
        .containsExactly(
            new Option("rain", "rain", 3, List.of()), new Option("snow", "snow", 1, List.of()));
  }

  @Test
  void writes_json_that_reads_back_to_an_equal_ontology() {
    Ontology ontology = OntologyReader.parse(json(NESTED));

    assertThat(OntologyReader.parse(OntologyWriter.write(ontology))).isEqualTo(ontology);
  }

  @Test
  void accepts_the_bookkeeping_keys_of_a_hosted_export_without_warnings() {
    Problems problems = new Problems();

    new OntologyReader(problems)
        .read(
            json(
                """
                {"tools": [{"name": "cat", "tool": "rectangle", "featureSchemaId": "ck1",
                            "schemaNodeId": "ck2", "required": false, "archived": false}]}
                """),
            "ontology",
            Set.of(),
            Set.of());

    assertThat(problems.all()).isEmpty();
  }

  @Test
  void warns_about_an_unknown_key_with_a_suggestion() {
    Problems problems = new Problems();

    new OntologyReader(problems)
        .read(json("{\"mediaType\": \"IMAGE\", \"tools\": []}"), "ontology", Set.of(), Set.of());

    assertThat(problems.all())
        .extracting(Problem::format)
        .containsExactly(
            "warning: ontology.mediaType: unknown key, ignored (did you mean `media_type`?)");
  }

  @Test
  void checks_nested_classifications_like_top_level_ones() {
    assertThat(
            problems(
                """
                {"tools": [{"name": "car", "tool": "rectangle", "classifications": [
                   {"name": "make", "type": "radio", "options": [{"value": "a"}]},
                   {"name": "Make", "type": "checklist", "options": []},
                   {"name": "note", "type": "text", "options": [{"value": "x"}]}]}]}
                """,
                Set.of(),
                Set.of()))
        .containsExactly(
            "tools[0].classifications[1].name: duplicate classification name \"Make\" (also"
                + " tools[0].classifications[0].name)",
            "tools[0].classifications[1].options: a checklist classification needs at least one"
                + " option",
            "tools[0].classifications[2].options: a text classification takes no options");
  }

  @Test
  void lets_nested_classifications_reuse_a_top_level_name() {
    assertThat(
            problems(
                """
                {"tools": [{"name": "car", "tool": "rectangle",
                            "classifications": [{"name": "color", "type": "text"}]},
                           {"name": "bus", "tool": "rectangle",
                            "classifications": [{"name": "color", "type": "text"}]}]}
                """,
                Set.of(),
                Set.of()))
        .isEmpty();
  }

  @Test
  void requires_every_feature_to_fit_at_least_one_of_the_asset_types() {
    String ontology = "{\"tools\": [{\"name\": \"box\", \"tool\": \"rectangle\"}]}";

    assertThat(problems(ontology, Set.of(), Set.of(AssetType.TEXT, AssetType.HTML)))
        .containsExactly(
            "tools[0].tool: a rectangle does not fit any of the model's asset types (text, html)"
                + " (it fits image, video)");
    assertThat(problems(ontology, Set.of(), Set.of(AssetType.TEXT, AssetType.IMAGE))).isEmpty();
  }

  @Test
  void checks_nested_feature_kinds_against_the_allowed_ones() {
    assertThat(
            problems(
                """
                {"tools": [{"name": "car", "tool": "rectangle",
                            "classifications": [{"name": "note", "type": "text"}]}]}
                """,
                Set.of(FeatureKind.RECTANGLE),
                Set.of()))
        .containsExactly(
            "tools[0].classifications[0].type: text is not among the allowed feature kinds"
                + " (rectangle)");
  }

  @Test
  void requires_options_of_a_choice_whose_options_are_null_as_when_they_are_missing() {
    // Found by fuzzing: "options:" with nothing after it loaded, and the stored JSON did not.
    assertThat(
            problems(
                "{\"classifications\": [{\"name\": \"clauses\", \"type\": \"checklist\","
                    + " \"options\": null}]}",
                Set.of(),
                Set.of()))
        .containsExactly(
            "classifications[0]: a checklist classification needs at least one option");
    assertThat(
            problems(
                "{\"classifications\": [{\"name\": \"clauses\", \"type\": \"checklist\"}]}",
                Set.of(),
                Set.of()))
        .containsExactly(
            "classifications[0]: a checklist classification needs at least one option");
  }

  @Test
  void reports_a_missing_name_kind_and_a_bad_color() {
    assertThat(problems("{\"tools\": [{\"color\": \"red\"}]}", Set.of(), Set.of()))
        .containsExactly(
            "tools[0].name: is required",
            "tools[0].tool: is required",
            "tools[0].color: expected a hex color such as \"#1CE6FF\", got \"red\"");
  }

  @Test
  void throws_every_problem_of_a_standalone_ontology() {
    assertThatThrownBy(() -> OntologyReader.parse(json("{\"media_type\": \"audio\"}")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> {
              assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(thrown.problems())
                  .extracting(Problem::format)
                  .containsExactly(
                      "media_type: expected one of image, text, video, html, conversational, got"
                          + " \"audio\"");
            });
  }

  @Test
  void reads_no_features_from_an_empty_ontology() {
    assertThat(OntologyReader.parse(json("{}")))
        .isEqualTo(new Ontology(Optional.empty(), List.of(), List.of()));
  }

  private static List<String> problems(
      String ontology, Set<FeatureKind> kinds, Set<AssetType> assetTypes) {
    Problems problems = new Problems();
    new OntologyReader(problems).read(json(ontology), "", kinds, assetTypes);
    return problems.all().stream().map(Problem::format).toList();
  }

  private static JsonNode json(String text) {
    return JsonMapper.shared().readTree(text);
  }
}
