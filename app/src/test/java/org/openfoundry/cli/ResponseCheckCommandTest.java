package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ResponseCheckCommandTest {
  /**
   * The repository's example manifest: person and bicycle boxes, a label radio, confidence 0.25.
   */
  private static final Path EXAMPLE_MANIFEST = Path.of("../examples/model.yaml");

  private static final String TEXT_MANIFEST =
      """
      name: Entities
      inference_endpoint: https://nlp.example.org/v1/entities
      allowed_asset_types: [text]
      ontology:
        media_type: TEXT
        tools:
          - name: person
            tool: named-entity
          - name: organization
            tool: named-entity
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path directory;

  private record Result(int exitCode, String out, String err) {}

  private Result run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(arguments);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content);
  }

  private Result check(String response, String... more) throws IOException {
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "response",
            "check",
            "--manifest",
            EXAMPLE_MANIFEST.toString(),
            "--response",
            file("response.json", response).toString()));
    arguments.addAll(List.of(more));
    return run(arguments.toArray(String[]::new));
  }

  @Test
  void prints_the_predictions_per_feature_and_exits_0_when_nothing_is_wrong() throws IOException {
    Result result =
        check(
            """
            {"person": {"boxes": [[0, 0, 10, 10], [40, 40, 8, 10]], "scores": [0.9, 0.7]},
             "label": "goldfish"}
            """);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            person (rectangle): 2 predictions
              box left 0, top 0, width 10, height 10, score 0.9
              box left 40, top 40, width 8, height 10, score 0.7
            label (radio): 1 prediction
              label: goldfish
            3 predictions, 0 warnings, 0 errors; 0 dropped under the confidence threshold 0.25
            """);
  }

  @Test
  void lists_warnings_and_errors_and_exits_1_when_there_are_errors() throws IOException {
    Result result =
        check(
            """
            {"person": {"boxes": [[0, 0, 10, 10], [-1, 0, 5, 5]], "scores": [0.9]},
             "bycicle": {"boxes": [[1, 1, 1, 1]]}, "label": "trout"}
            """);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains(
            "Warnings:\n  person.scores: has 1 score for 2 items of \"boxes\"",
            "Errors:\n  person.boxes[1][0]: expected a coordinate >= 0, got -1\n",
            "  bycicle: unknown feature \"bycicle\": expected one of person, bicycle, label (did"
                + " you mean `bicycle`?)\n",
            "  label: unknown option \"trout\" for radio question label; expected one of tench,"
                + " goldfish\n",
            "1 prediction, 1 warning, 3 errors");
  }

  @Test
  void drops_boxes_under_the_manifest_default_confidence_unless_the_params_lower_it()
      throws IOException {
    String response = "{\"person\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.1]}}";

    Result byDefault = check(response);
    Result lowered = check(response, "--params", "{\"confidence\": 0.05}");

    assertThat(byDefault.out())
        .contains(
            "  person: dropped 1 prediction scored under the confidence threshold 0.25",
            "0 predictions, 1 warning, 0 errors; 1 dropped under the confidence threshold 0.25");
    assertThat(lowered.out()).contains("person (rectangle): 1 prediction", "0 dropped");
    assertThat(lowered.exitCode()).isZero();
  }

  @Test
  void refuses_params_the_manifest_schema_rejects() throws IOException {
    Result result = check("{}", "--params", "{\"confidence\": 2}");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("error: the inference parameters are not valid")
        .contains("confidence");
  }

  @Test
  void refuses_params_that_are_not_json() throws IOException {
    Result result = check("{}", "--params", "confidence=0.5");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("error: --params: expected a JSON object such as {\"confidence\": 0.5}");
  }

  @Test
  void refuses_params_nested_past_the_limit_on_outside_json() throws IOException {
    Result result = check("{}", "--params", "{\"a\": " + "[".repeat(100) + "]".repeat(100) + "}");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .startsWith(
            "error: --params: too large to read: values are nested more than 64 levels deep");
  }

  @Test
  void checks_entity_spans_against_the_row_text_given_inline_or_in_a_file() throws IOException {
    Path manifest = file("model.yaml", TEXT_MANIFEST);
    Path response =
        file(
            "entities.json",
            "{\"person\": [{\"start\": 0, \"end\": 3, \"text\": \"Tom\"}, {\"start\": 5, \"end\":"
                + " 8, \"text\": \"Bob\"}], \"organization\": [{\"start\": 33, \"end\": 36,"
                + " \"text\": \"IBM\"}]}");
    Path rowText = file("row.txt", "Tom and Bob are happy to work at IBM");

    Result inline =
        run(
            "response",
            "check",
            "--manifest",
            manifest.toString(),
            "--response",
            response.toString(),
            "--row-text",
            "Tom and Bob are happy to work at IBM");
    Result fromFile =
        run(
            "response",
            "check",
            "--manifest",
            manifest.toString(),
            "--response",
            response.toString(),
            "--row-text-file",
            rowText.toString());

    assertThat(inline.exitCode()).isZero();
    assertThat(inline.out())
        .isEqualTo(
            """
            person (named-entity): 2 predictions
              span 0..3 "Tom"
              span 8..11 "Bob"
            organization (named-entity): 1 prediction
              span 33..36 "IBM"
            Warnings:
              person[1]: offsets 5..8 cover "nd " but the span text is "Bob"; \
            repaired to 8..11, its occurrence nearest 5
            3 predictions, 1 warning, 0 errors
            """);
    assertThat(fromFile.out()).isEqualTo(inline.out());
  }

  @Test
  void clips_boxes_to_the_image_size() throws IOException {
    Result result =
        check("{\"person\": {\"boxes\": [[600, 400, 100, 100]]}}", "--image-size", "640x480");

    assertThat(result.out())
        .contains(
            "box left 600, top 400, width 40, height 80",
            "person.boxes[0]: clipped box [600, 400, 100, 100] to the 640x480 image");
  }

  @Test
  void rejects_an_image_size_that_is_not_width_x_height() throws IOException {
    Result result = check("{}", "--image-size", "640");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("expected WIDTHxHEIGHT in pixels such as 640x480");
  }

  @Test
  void maps_model_classes_onto_features() throws IOException {
    Result result =
        check("{\"pedestrian\": {\"boxes\": [[0, 0, 1, 1]]}}", "--class-map", "pedestrian=person");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("person (rectangle): 1 prediction");
  }

  @Test
  void prints_the_ndjson_a_run_would_export_and_the_problems_on_stderr() throws IOException {
    Result result =
        check(
            "{\"person\": {\"boxes\": [[1, 2, 3, 4]], \"scores\": [0.9]}, \"label\": \"tench\","
                + " \"cat\": 1}",
            "--format",
            "ndjson",
            "--global-key",
            "street-0001.jpg");

    assertThat(result.exitCode()).isEqualTo(1);
    List<JsonNode> lines = result.out().lines().map(JSON::readTree).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("dataRow").get("globalKey").stringValue())
        .isEqualTo("street-0001.jpg");
    assertThat(lines.get(0).get("bbox").toString())
        .isEqualTo("{\"top\":2,\"left\":1,\"height\":4,\"width\":3}");
    assertThat(lines.get(1).get("answer").toString()).isEqualTo("{\"name\":\"tench\"}");
    assertThat(result.err()).startsWith("cat: unknown feature \"cat\"");
  }

  @Test
  void prints_the_coco_document_a_run_would_export() throws IOException {
    Result result =
        check(
            "{\"bicycle\": {\"boxes\": [[1, 2, 3, 4]], \"scores\": [0.5]}}",
            "--format",
            "coco",
            "--data-row-id",
            "dr_7",
            "--image-size",
            "640x480");

    assertThat(result.exitCode()).isZero();
    JsonNode coco = JSON.readTree(result.out());
    assertThat(coco.get("images").toString())
        .isEqualTo(
            "[{\"id\":1,\"file_name\":\"dr_7\",\"data_row_id\":\"dr_7\",\"width\":640,"
                + "\"height\":480}]");
    assertThat(coco.get("categories").get(1).get("name").stringValue()).isEqualTo("bicycle");
    assertThat(coco.get("annotations").get(0).get("category_id").intValue()).isEqualTo(2);
  }

  @Test
  void reports_a_response_that_is_not_json_with_the_file_position() throws IOException {
    Result result = check("{\"person\": ");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).containsPattern("response\\.json:1:\\d+ not valid JSON: ");
  }

  @Test
  void says_which_file_is_missing() {
    Result result =
        run(
            "response",
            "check",
            "--manifest",
            EXAMPLE_MANIFEST.toString(),
            "--response",
            directory.resolve("absent.json").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("cannot read the response file").contains("no such file");
  }

  @Test
  void reports_an_invalid_manifest_with_its_problems() throws IOException {
    Path manifest = file("broken.yaml", "name: x\n");

    Result result =
        run(
            "response",
            "check",
            "--manifest",
            manifest.toString(),
            "--response",
            file("r.json", "{}").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("error: ").contains("inference_endpoint");
  }
}
