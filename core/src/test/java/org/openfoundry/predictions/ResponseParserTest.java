package org.openfoundry.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfoundry.predictions.Fixtures.context;
import static org.openfoundry.predictions.Fixtures.examples;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.rle.BinaryMask;

class ResponseParserTest {
  private final ResponseParser parser = new ResponseParser();

  private ParseReport parse(String json) {
    return parser.parse(json, context());
  }

  private static List<String> errors(ParseReport report) {
    return report.errors().stream().map(Problem::format).toList();
  }

  private static List<String> warnings(ParseReport report) {
    return report.warnings().stream().map(Problem::format).toList();
  }

  @Test
  void reads_the_object_detection_example_into_scored_boxes() {
    ParseReport report = parser.parse(examples().get("object_detection"), context());

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new Box("cat", 0, 0, 10, 10, OptionalDouble.of(0.9), List.of()),
            new Box("cat", 40, 40, 8, 10, OptionalDouble.of(0.7), List.of()),
            new Box("dog", 20, 20, 5, 5, OptionalDouble.of(0.8), List.of()));
  }

  @Test
  void reads_the_classification_example_into_text_radio_and_checklist_answers() {
    ParseReport report = parser.parse(examples().get("classification"), context());

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new FreeText("summary", "Tom and Bob are happy to work at IBM", OptionalDouble.empty()),
            new Radio("sentiment", Choice.of("positive"), OptionalDouble.empty()),
            new Checklist(
                "emotion", List.of(Choice.of("joy"), Choice.of("fear")), OptionalDouble.empty()));
  }

  @Test
  void reads_the_segmentation_example_into_the_mask_its_compressed_counts_describe() {
    Ontology segmentation =
        new Ontology(
            Optional.of(AssetType.IMAGE),
            List.of(Tool.of("cat", FeatureKind.RASTER_SEGMENTATION)),
            List.of());

    ParseReport report =
        parser.parse(examples().get("segmentation"), ParseContext.of(segmentation));

    assertThat(report.problems()).isEmpty();
    Mask mask = (Mask) report.predictions().getFirst();
    assertThat(mask.feature()).isEqualTo("cat");
    assertThat(mask.score()).hasValue(0.95);
    assertThat(mask.mask().counts()).containsExactly(3, 2, 5, 2, 3);
    assertThat(mask.mask().toBinaryMask())
        .isEqualTo(BinaryMask.fromRows(List.of("01000", "01010", "00010")));
  }

  @Test
  void repairs_the_named_entity_example_from_its_text_with_a_warning() {
    var example = examples().get("named_entity");
    ParseContext context = context().withRowText(example.get("row_text").stringValue());

    ParseReport report = parser.parse(example.get("response"), context);

    assertThat(errors(report)).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new EntitySpan("person", 0, 3, "Tom", OptionalDouble.empty(), List.of()),
            new EntitySpan("person", 8, 11, "Bob", OptionalDouble.empty(), List.of()),
            new EntitySpan("organization", 33, 36, "IBM", OptionalDouble.empty(), List.of()));
    assertThat(warnings(report))
        .containsExactly(
            "warning: person[1]: offsets 5..8 cover \"nd \" but the span text is \"Bob\";"
                + " repaired to 8..11, its occurrence nearest 5");
  }

  @Test
  void reads_masks_given_as_uncompressed_run_lengths() {
    ParseReport report =
        parse("{\"road\": {\"masks\": [{\"size\": [3, 5], \"counts\": [3, 2, 5, 2, 3]}]}}");

    assertThat(report.problems()).isEmpty();
    Mask mask = (Mask) report.predictions().getFirst();
    assertThat(mask.mask().compressed()).isEqualTo("3250N");
    assertThat(mask.score()).isEmpty();
  }

  @Test
  void reads_polygons_points_and_lines() {
    ParseReport report =
        parse(
            """
            {"lake": {"polygons": [[[0, 0], [10, 0], [10, 5]]], "scores": [0.6]},
             "eye": {"points": [[3, 4], [7.5, 4]]},
             "lane": {"lines": [[[0, 0], [5, 5], [9, 2]]], "scores": [0.4]}}
            """);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new Polygon(
                "lake",
                List.of(new Vertex(0, 0), new Vertex(10, 0), new Vertex(10, 5)),
                OptionalDouble.of(0.6),
                List.of()),
            new Point("eye", new Vertex(3, 4), OptionalDouble.empty(), List.of()),
            new Point("eye", new Vertex(7.5, 4), OptionalDouble.empty(), List.of()),
            new Line(
                "lane",
                List.of(new Vertex(0, 0), new Vertex(5, 5), new Vertex(9, 2)),
                OptionalDouble.of(0.4),
                List.of()));
  }

  @Test
  void names_the_likely_feature_when_a_key_is_unknown() {
    ParseReport report = parse("{\"catt\": {\"boxes\": [[0, 0, 1, 1]]}}");

    assertThat(errors(report))
        .singleElement()
        .asString()
        .startsWith("catt: unknown feature \"catt\": expected one of cat, dog,")
        .endsWith("(did you mean `cat`?)");
    assertThat(report.predictions()).isEmpty();
  }

  @Test
  void matches_feature_names_ignoring_case() {
    ParseReport report = parse("{\"Cat\": {\"boxes\": [[0, 0, 1, 1]]}}");

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .singleElement()
        .extracting(Prediction::feature)
        .isEqualTo("cat");
  }

  @Test
  void reports_an_unknown_option_and_keeps_the_known_ones() {
    ParseReport report =
        parse("{\"sentiment\": \"positiv\", \"emotion\": [\"joy\", \"boredom\", \"Fear\"]}");

    assertThat(errors(report))
        .containsExactly(
            "sentiment: unknown option \"positiv\" for radio question sentiment;"
                + " expected one of positive, negative, neutral (did you mean `positive`?)",
            "emotion[1]: unknown option \"boredom\" for checklist question emotion;"
                + " expected one of joy, fear, anger");
    assertThat(report.predictions())
        .containsExactly(
            new Checklist(
                "emotion", List.of(Choice.of("joy"), Choice.of("fear")), OptionalDouble.empty()));
  }

  @Test
  void matches_an_option_by_its_label_when_no_value_matches() {
    ParseReport report = parse("{\"sentiment\": \"NEUTRAL\"}");

    assertThat(report.predictions())
        .containsExactly(new Radio("sentiment", Choice.of("neutral"), OptionalDouble.empty()));
  }

  @Test
  void says_which_shape_a_feature_kind_expects_when_given_another() {
    ParseReport report =
        parse(
            """
            {"cat": [[0, 0, 10, 10]], "road": {"boxes": [[0, 0, 1, 1]]}, "sentiment": ["positive"],
             "summary": 3, "person": {"start": 0, "end": 3}}
            """);

    assertThat(errors(report))
        .containsExactly(
            "cat: expected {\"boxes\": [[left, top, width, height], ...], \"scores\": [...]}"
                + " for rectangle feature cat, got a list of 1 item",
            "road: expected {\"masks\": [{\"size\": [height, width], \"counts\": \"<COCO"
                + " compressed RLE>\" or [run lengths]}, ...], \"scores\": [...]} for"
                + " raster-segmentation feature road, got an object with keys boxes",
            "sentiment: expected an option value as a string for radio feature sentiment,"
                + " got a list of 1 item",
            "summary: expected the answer of free-text feature summary as a string, got the"
                + " number 3",
            "person: expected a list of spans [{\"start\": 0, \"end\": 3, \"text\": \"Tom\"},"
                + " ...] for named-entity feature person, got an object with keys start, end");
  }

  @Test
  void rejects_negative_and_non_finite_coordinates_and_boxes_without_area() {
    ParseReport report =
        parse(
            "{\"cat\": {\"boxes\": [[-1, 0, 5, 5], [0, NaN, 5, 5], [0, 0, 0, 5], [1, 1, 2, 2],"
                + " [0, 0, 5, -3]]}}");

    assertThat(errors(report))
        .containsExactly(
            "cat.boxes[0][0]: expected a coordinate >= 0, got -1",
            "cat.boxes[1][1]: expected a finite number, got NaN",
            "cat.boxes[2]: box [0, 0, 0, 5] has no area; expected a width and height > 0",
            "cat.boxes[4]: box [0, 0, 5, -3] has no area; expected a width and height > 0");
    assertThat(report.predictions())
        .containsExactly(new Box("cat", 1, 1, 2, 2, OptionalDouble.empty(), List.of()));
  }

  @Test
  void reports_a_coordinate_given_as_text() {
    ParseReport report = parse("{\"eye\": {\"points\": [[\"3\", 4]]}}");

    assertThat(errors(report))
        .containsExactly("eye.points[0][0]: expected a number, got a string \"3\"");
  }

  @Test
  void clips_a_box_to_the_image_with_a_warning_and_rejects_one_outside_it() {
    ParseContext context = context().withImageSize(new ImageSize(100, 50));

    ParseReport report =
        parser.parse(
            "{\"cat\": {\"boxes\": [[90, 40, 20, 20], [100, 0, 5, 5], [10, 10, 5, 5]]}}", context);

    assertThat(warnings(report))
        .containsExactly(
            "warning: cat.boxes[0]: clipped box [90, 40, 20, 20] to the 100x50 image:"
                + " [90, 40, 10, 10]");
    assertThat(errors(report))
        .containsExactly("cat.boxes[1]: box [100, 0, 5, 5] lies outside the 100x50 image");
    assertThat(report.predictions())
        .containsExactly(
            new Box("cat", 90, 40, 10, 10, OptionalDouble.empty(), List.of()),
            new Box("cat", 10, 10, 5, 5, OptionalDouble.empty(), List.of()));
  }

  @Test
  void shows_clipped_sizes_to_six_decimals() {
    ParseContext context = context().withImageSize(new ImageSize(1920, 1080));

    ParseReport report =
        parser.parse("{\"cat\": {\"boxes\": [[1869.03, 640.15, 101.94, 252.31]]}}", context);

    assertThat(warnings(report))
        .containsExactly(
            "warning: cat.boxes[0]: clipped box [1869.03, 640.15, 101.94, 252.31] to the 1920x1080"
                + " image: [1869.03, 640.15, 50.97, 252.31]");
  }

  @Test
  void leaves_a_box_inside_the_image_untouched_whatever_its_decimals() {
    ParseContext context = context().withImageSize(new ImageSize(1920, 1080));

    ParseReport report =
        parser.parse("{\"cat\": {\"boxes\": [[127.09, 532.76, 279.82, 259.42]]}}", context);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new Box("cat", 127.09, 532.76, 279.82, 259.42, OptionalDouble.empty(), List.of()));
  }

  @Test
  void moves_outline_vertices_onto_the_image_edge_and_rejects_points_outside_it() {
    ParseContext context = context().withImageSize(new ImageSize(20, 10));

    ParseReport report =
        parser.parse(
            "{\"lake\": {\"polygons\": [[[0, 0], [30, 0], [30, 12], [0, 5]]]},"
                + " \"eye\": {\"points\": [[21, 3]]}}",
            context);

    assertThat(warnings(report))
        .containsExactly(
            "warning: lake.polygons[0]: moved 2 vertices of the polygon outside the 20x10 image"
                + " onto its edge");
    assertThat(errors(report))
        .containsExactly("eye.points[0]: point [21, 3] lies outside the 20x10 image");
    assertThat(((Polygon) report.predictions().getFirst()).vertices())
        .containsExactly(new Vertex(0, 0), new Vertex(20, 0), new Vertex(20, 10), new Vertex(0, 5));
  }

  @Test
  void rejects_polygons_and_lines_with_too_few_vertices_or_no_area() {
    ParseReport report =
        parse(
            "{\"lake\": {\"polygons\": [[[0, 0], [1, 1]], [[0, 0], [1, 1], [2, 2]]]},"
                + " \"lane\": {\"lines\": [[[0, 0]]]}}");

    assertThat(errors(report))
        .containsExactly(
            "lake.polygons[0]: a polygon needs at least 3 vertices [[x, y], ...], got 2",
            "lake.polygons[1]: polygon encloses no area: its vertices lie on one line",
            "lane.lines[0]: a line needs at least 2 vertices [[x, y], ...], got 1");
  }

  @Test
  void warns_when_there_are_fewer_scores_than_boxes_and_keeps_the_rest_unscored() {
    ParseReport report =
        parse("{\"cat\": {\"boxes\": [[0, 0, 1, 1], [2, 2, 1, 1]], \"scores\": [0.5]}}");

    assertThat(warnings(report))
        .containsExactly(
            "warning: cat.scores: has 1 score for 2 items of \"boxes\"; the items without a"
                + " score are kept unscored");
    assertThat(report.predictions())
        .extracting(Prediction::score)
        .containsExactly(OptionalDouble.of(0.5), OptionalDouble.empty());
  }

  @Test
  void warns_when_there_are_more_scores_than_boxes() {
    ParseReport report = parse("{\"dog\": {\"boxes\": [[0, 0, 1, 1]], \"scores\": [0.5, 0.6]}}");

    assertThat(warnings(report))
        .containsExactly(
            "warning: dog.scores: has 2 scores for 1 item of \"boxes\"; the extra scores are"
                + " ignored");
    assertThat(report.predictions()).hasSize(1);
  }

  @Test
  void rejects_a_box_whose_score_is_not_between_zero_and_one() {
    ParseReport report =
        parse("{\"cat\": {\"boxes\": [[0, 0, 1, 1], [2, 2, 1, 1]], \"scores\": [1.5, 0.5]}}");

    assertThat(errors(report))
        .containsExactly("cat.scores[0]: expected a score between 0 and 1, got 1.5");
    assertThat(report.predictions())
        .containsExactly(new Box("cat", 2, 2, 1, 1, OptionalDouble.of(0.5), List.of()));
  }

  @Test
  void drops_and_counts_predictions_scored_under_the_confidence_threshold() {
    ParseContext context = context().withConfidence(0.75);

    ParseReport report = parser.parse(examples().get("object_detection"), context);

    assertThat(report.predictions())
        .containsExactly(
            new Box("cat", 0, 0, 10, 10, OptionalDouble.of(0.9), List.of()),
            new Box("dog", 20, 20, 5, 5, OptionalDouble.of(0.8), List.of()));
    assertThat(report.droppedUnderConfidence()).isEqualTo(1);
    assertThat(report.droppedByFeature()).isEqualTo(Map.of("cat", 1));
    assertThat(warnings(report))
        .containsExactly(
            "warning: cat: dropped 1 prediction scored under the confidence threshold 0.75");
    assertThat(report.hasErrors()).isFalse();
  }

  @Test
  void takes_the_threshold_from_the_run_inference_params() {
    ParseContext context =
        context().withInferenceParams(Fixtures.json("{\"confidence\": 0.75, \"prompt\": \"\"}"));
    ParseContext without = context().withInferenceParams(Fixtures.json("{\"prompt\": \"\"}"));

    assertThat(context.confidence()).hasValue(0.75);
    assertThat(without.confidence()).isEmpty();
    assertThatThrownBy(() -> context().withInferenceParams(Fixtures.json("{\"confidence\": 25}")))
        .isInstanceOf(FoundryException.class)
        .hasMessage("confidence: expected a threshold between 0 and 1, got 25");
  }

  @Test
  void keeps_unscored_predictions_and_those_scored_at_the_threshold() {
    ParseContext context = context().withConfidence(0.5);

    ParseReport report =
        parser.parse(
            "{\"cat\": {\"boxes\": [[0, 0, 1, 1], [2, 2, 1, 1]], \"scores\": [0.5]}}", context);

    assertThat(report.predictions()).hasSize(2);
    assertThat(report.droppedUnderConfidence()).isZero();
  }

  @Test
  void maps_model_class_names_to_ontology_features_before_matching_names() {
    ParseContext context = context().withClassMapping(Map.of("kitty", "cat", "dog", "cat"));

    ParseReport report =
        parser.parse(
            "{\"kitty\": {\"boxes\": [[0, 0, 1, 1]]}, \"dog\": {\"boxes\": [[5, 5, 1, 1]]}}",
            context);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions()).extracting(Prediction::feature).containsExactly("cat", "cat");
  }

  @Test
  void says_when_a_class_is_mapped_to_a_feature_the_ontology_lacks() {
    ParseContext context = context().withClassMapping(Map.of("kitty", "kat"));

    ParseReport report = parser.parse("{\"kitty\": {\"boxes\": [[0, 0, 1, 1]]}}", context);

    assertThat(errors(report))
        .singleElement()
        .asString()
        .startsWith(
            "kitty: class \"kitty\" is mapped to \"kat\", which is not a feature of the"
                + " ontology; expected one of cat,")
        .endsWith("(did you mean `cat`?)");
  }

  @Test
  void reports_a_mask_whose_runs_do_not_cover_its_size() {
    ParseReport report =
        parse("{\"road\": {\"masks\": [{\"size\": [3, 5], \"counts\": [3, 2, 5]}]}}");

    assertThat(errors(report))
        .singleElement()
        .asString()
        .startsWith("road.masks[0].counts: mask runs sum to 10 pixels")
        .contains("15");
  }

  @Test
  void reports_a_malformed_compressed_counts_string() {
    ParseReport report =
        parse("{\"road\": {\"masks\": [{\"size\": [3, 5], \"counts\": \"3 5\"}]}}");

    assertThat(errors(report)).singleElement().asString().startsWith("road.masks[0].counts: ");
    assertThat(report.predictions()).isEmpty();
  }

  @Test
  void reports_a_mask_whose_size_disagrees_with_the_image() {
    ParseContext context = context().withImageSize(new ImageSize(640, 480));

    ParseReport report =
        parser.parse(
            "{\"road\": {\"masks\": [{\"size\": [3, 5], \"counts\": \"3250N\"}]}}", context);

    assertThat(errors(report))
        .containsExactly(
            "road.masks[0].size: mask size [3, 5] (height, width) disagrees with the 640x480"
                + " image, which is [480, 640]");
  }

  @Test
  void warns_about_a_mask_with_no_pixels_and_keeps_it() {
    ParseReport report = parse("{\"road\": {\"masks\": [{\"size\": [2, 2], \"counts\": [4]}]}}");

    assertThat(warnings(report)).containsExactly("warning: road.masks[0]: mask has no pixels set");
    assertThat(report.predictions()).hasSize(1);
  }

  @Test
  void rejects_a_span_whose_text_is_nowhere_in_the_row() {
    ParseContext context = context().withRowText(Fixtures.ROW_TEXT);

    ParseReport report =
        parser.parse("{\"person\": [{\"start\": 0, \"end\": 3, \"text\": \"Ann\"}]}", context);

    assertThat(errors(report))
        .containsExactly("person[0]: span text \"Ann\" is nowhere in the row text");
  }

  @Test
  void rejects_offsets_outside_the_text_when_the_span_has_no_text_to_repair_from() {
    ParseContext context = context().withRowText(Fixtures.ROW_TEXT);

    ParseReport report =
        parser.parse(
            "{\"person\": [{\"start\": 30, \"end\": 40}, {\"start\": 4, \"end\": 2}]}", context);

    assertThat(errors(report))
        .containsExactly(
            "person[0]: offsets 30..40 lie outside the 36-character row text and the span has"
                + " no text to repair it from",
            "person[1]: offsets 4..2 are not a span (expected start < end) and the span has no"
                + " text to repair it from");
  }

  @Test
  void fills_in_a_span_text_from_the_row_when_the_model_gives_only_offsets() {
    ParseContext context = context().withRowText(Fixtures.ROW_TEXT);

    ParseReport report =
        parser.parse("{\"organization\": [{\"start\": 33, \"end\": 36, \"score\": 0.9}]}", context);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new EntitySpan("organization", 33, 36, "IBM", OptionalDouble.of(0.9), List.of()));
  }

  @Test
  void repairs_offsets_outside_the_text_from_the_span_text() {
    ParseContext context = context().withRowText(Fixtures.ROW_TEXT);

    ParseReport report =
        parser.parse(
            "{\"organization\": [{\"start\": 40, \"end\": 43, \"text\": \"IBM\"}]}", context);

    assertThat(warnings(report))
        .containsExactly(
            "warning: organization[0]: offsets 40..43 lie outside the 36-character row text but"
                + " the span text is \"IBM\"; repaired to 33..36, its occurrence nearest 40");
    assertThat(report.predictions())
        .containsExactly(
            new EntitySpan("organization", 33, 36, "IBM", OptionalDouble.empty(), List.of()));
  }

  @Test
  void repairs_to_the_occurrence_nearest_the_given_start() {
    ParseContext context = context().withRowText("Bob met Bob and then Bob");

    ParseReport report =
        parser.parse("{\"person\": [{\"start\": 15, \"end\": 18, \"text\": \"Bob\"}]}", context);

    assertThat(((EntitySpan) report.predictions().getFirst()).start()).isEqualTo(21);
  }

  @Test
  void repairs_to_the_earlier_occurrence_when_two_are_as_near() {
    ParseContext context = context().withRowText("Bob and Bob");

    ParseReport report =
        parser.parse("{\"person\": [{\"start\": 4, \"end\": 7, \"text\": \"Bob\"}]}", context);

    assertThat(((EntitySpan) report.predictions().getFirst()).start()).isZero();
  }

  @Test
  void rejects_a_mask_too_large_to_draw_in_bounded_memory_however_short_its_counts() {
    ParseReport report =
        parse("{\"road\": {\"masks\": [{\"size\": [46340, 46340], \"counts\": [0, 2147395600]}]}}");

    assertThat(errors(report))
        .containsExactly(
            "road.masks[0].size: mask size [46340, 46340] has more than 67108864 pixels, the"
                + " most a mask may have");
    assertThat(
            errors(
                parse(
                    "{\"road\": {\"masks\": [{\"size\": [8192, 8192], \"counts\": [0, 67108864]}]}}")))
        .isEmpty();
  }

  @Test
  void counts_offsets_in_utf16_code_units() {
    ParseContext context = context().withRowText("\uD83D\uDE00 Tom");

    ParseReport report =
        parser.parse("{\"person\": [{\"start\": 3, \"end\": 6, \"text\": \"Tom\"}]}", context);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions()).hasSize(1);
  }

  @Test
  void warns_once_that_offsets_are_unchecked_when_the_row_text_is_unknown() {
    ParseReport report =
        parse(
            "{\"person\": [{\"start\": 0, \"end\": 3, \"text\": \"Tom\"},"
                + " {\"start\": 5, \"end\": 8, \"text\": \"Bob\"}]}");

    assertThat(warnings(report))
        .containsExactly(
            "warning: person[0]: the row text is not known, so entity offsets are not checked"
                + " against it");
    assertThat(report.predictions()).hasSize(2);
  }

  @Test
  void reports_a_response_that_is_not_a_json_object() {
    ParseReport report = parse("[1, 2]");

    assertThat(errors(report))
        .containsExactly("expected a JSON object keyed by feature names, got a list of 2 items");
  }

  @Test
  void reports_text_that_is_not_json_with_its_position() {
    ParseReport report = parse("{\"cat\": {\"boxes\": [[0, 0, 1, 1]]\n  \"dog\": 3}");

    assertThat(report.errors())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.position()).isPresent();
              assertThat(problem.position().get().source()).isEqualTo("response");
              assertThat(problem.position().get().line()).isEqualTo(2);
              assertThat(problem.message()).startsWith("not valid JSON: ");
            });
  }

  @Test
  void reports_a_response_nested_deeper_than_the_limit_as_too_large_to_read() {
    String deep = "[".repeat(UntrustedJson.MAX_DEPTH) + "]".repeat(UntrustedJson.MAX_DEPTH);

    ParseReport report = parse("{\"cat\": " + deep + "}");

    assertThat(report.errors())
        .extracting(Problem::message)
        .containsExactly(
            "the response is too large to read: values are nested more than 64 levels deep");
  }

  @Test
  void one_bad_feature_does_not_lose_the_others() {
    ParseReport report =
        parse(
            "{\"cat\": {\"boxes\": \"lots\"}, \"unknown\": 1, \"dog\": {\"boxes\": [[1, 1, 1, 1]]},"
                + " \"sentiment\": \"negative\"}");

    assertThat(report.errors()).hasSize(2);
    assertThat(report.predictions())
        .containsExactly(
            new Box("dog", 1, 1, 1, 1, OptionalDouble.empty(), List.of()),
            new Radio("sentiment", Choice.of("negative"), OptionalDouble.empty()));
  }

  @Test
  void warns_about_keys_a_feature_does_not_read() {
    ParseReport report =
        parse(
            "{\"cat\": {\"boxes\": [[0, 0, 1, 1]], \"labels\": [\"cat\"]},"
                + " \"person\": [{\"start\": 0, \"end\": 3, \"label\": \"PER\"}]}");

    assertThat(warnings(report))
        .contains(
            "warning: cat.labels: ignored: a rectangle feature reads only \"boxes\" and \"scores\"",
            "warning: person[0].label: ignored: a span reads start, end, text and score");
  }

  @Test
  void rejects_a_second_answer_to_the_same_question() {
    ParseReport report = parse("{\"sentiment\": \"positive\", \"Sentiment\": \"negative\"}");

    assertThat(errors(report))
        .containsExactly(
            "Sentiment: a second answer to question sentiment; a question takes one answer, and"
                + " the first one is kept");
    assertThat(report.predictions())
        .containsExactly(new Radio("sentiment", Choice.of("positive"), OptionalDouble.empty()));
  }

  @Test
  void reads_null_as_nothing_predicted() {
    ParseReport report = parse("{\"cat\": null, \"dog\": {\"boxes\": []}}");

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions()).isEmpty();
  }

  @Test
  void warns_about_an_empty_checklist_and_repeated_options() {
    ParseReport report = parse("{\"emotion\": []}");
    ParseReport repeated = parse("{\"emotion\": [\"joy\", \"JOY\"]}");

    assertThat(warnings(report))
        .containsExactly("warning: emotion: no option chosen: the checklist answer is empty");
    assertThat(warnings(repeated))
        .containsExactly("warning: emotion: option \"joy\" is given twice; kept once");
    assertThat(((Checklist) repeated.predictions().getFirst()).values()).containsExactly("joy");
  }

  @Test
  void says_when_the_ontology_has_no_features_at_all() {
    ParseReport report =
        parser.parse("{\"cat\": {\"boxes\": []}}", ParseContext.of(Ontology.empty()));

    assertThat(errors(report))
        .containsExactly("cat: unknown feature \"cat\": the run's ontology has no features");
  }
}
