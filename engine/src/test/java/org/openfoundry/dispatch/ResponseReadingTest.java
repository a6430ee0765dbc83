package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.dispatch.ResponsePostProcessor.Processed;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.predictions.ParseContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ResponseReadingTest {
  private final ResponseReading reading = new ResponseReading();
  private final RunDispatchContext context =
      Runs.context("run_01", Runs.manifest(URI.create("http://127.0.0.1:9/predict")));

  @Test
  void keeps_a_response_whose_features_partly_fail_and_reports_what_did_not_map() {
    ObjectNode response =
        json(
            """
            {"person": {"boxes": [[10, 20, 30, 40]], "scores": [0.9]},
             "bicycle": {"boxes": [[10, 20, 30]]},
             "truck": {"boxes": [[1, 2, 3, 4]]}}
            """);

    Processed processed = reading.process(response, context, Runs.row(1));

    assertThat(processed.anyValid()).isTrue();
    assertThat(processed.predictions()).isEqualTo(response);
    JsonNode report = processed.report();
    assertThat(report.get("predictions").asInt()).isEqualTo(1);
    assertThat(report.get("problems").valueStream().map(problem -> problem.get("path").asString()))
        .anySatisfy(path -> assertThat(path).contains("bicycle"))
        .anySatisfy(path -> assertThat(path).contains("truck"));
  }

  @Test
  void a_response_of_which_nothing_maps_onto_the_ontology_is_not_valid() {
    Processed processed =
        reading.process(json("{\"truck\": {\"boxes\": [[1, 2, 3, 4]]}}"), context, Runs.row(1));

    assertThat(processed.anyValid()).isFalse();
    assertThat(processed.report().get("predictions").asInt()).isZero();
    assertThat(processed.report().get("problems")).isNotEmpty();
  }

  @Test
  void drops_boxes_under_the_runs_confidence_and_counts_them_per_feature() {
    Processed processed =
        reading.process(
            json("{\"person\": {\"boxes\": [[1, 2, 3, 4], [5, 6, 7, 8]], \"scores\": [0.9, 0.1]}}"),
            context,
            Runs.row(1));

    assertThat(processed.anyValid()).isTrue();
    assertThat(processed.report().get("predictions").asInt()).isEqualTo(1);
    assertThat(processed.report().get("dropped_under_confidence").get("person").asInt())
        .isEqualTo(1);
  }

  @Test
  void reads_each_runs_answers_against_that_runs_own_ontology() {
    ObjectNode trucks = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    trucks
        .withObject("ontology")
        .putArray("tools")
        .addObject()
        .put("name", "truck")
        .put("tool", "rectangle");
    RunDispatchContext truckRun = Runs.context("run_01", trucks);
    ObjectNode truck = json("{\"truck\": {\"boxes\": [[1, 2, 3, 4]]}}");

    assertThat(reading.process(truck, context, Runs.row(1)).anyValid()).isFalse();
    assertThat(reading.process(truck, truckRun, Runs.row(1)).anyValid()).isTrue();
    assertThat(reading.process(truck, context, Runs.row(2)).anyValid()).isFalse();
  }

  @Test
  void checks_entity_spans_against_a_rows_own_text_and_never_against_a_reference_to_one() {
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    manifest
        .putObject("ontology")
        .put("media_type", "TEXT")
        .putArray("tools")
        .addObject()
        .put("name", "person")
        .put("tool", "named-entity");
    ParseContext run = ResponseReading.forRun(manifest, Map.of(), Runs.JSON.createObjectNode());
    ObjectNode tom = json("{\"person\": [{\"start\": 0, \"end\": 3, \"text\": \"Tom\"}]}");

    // An uploaded file, as stored (openfoundry://) and as the model was sent it (signed https),
    // and files elsewhere: the text is not known here, so the span stands.
    for (String reference :
        List.of(
            "openfoundry://files/fil_01HZZ.txt",
            "https://foundry.example.com/files/fil_01HZZ.txt?signature=1",
            "s3://bucket/doc.txt",
            "gs://bucket/doc.txt")) {
      assertThat(reading.parse(tom, run, textRow(reference)).predictions())
          .as(reference)
          .hasSize(1);
    }
    // Text that only begins with a URL is the text itself, and the span is checked against it.
    assertThat(
            reading.parse(tom, run, textRow("https://example.com is where Tom works")).problems())
        .singleElement()
        .satisfies(problem -> assertThat(problem.message()).contains("Tom"));
    assertThat(reading.parse(tom, run, textRow("Tom works at https://example.com")).predictions())
        .hasSize(1);
  }

  private static DataRow textRow(String rowData) {
    return new DataRow(
        new DataRowId("dr_000001"),
        new DatasetId("ds_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
        Optional.of("doc-1.txt"),
        rowData,
        AssetType.TEXT,
        Runs.JSON.createArrayNode(),
        Runs.JSON.createObjectNode());
  }

  private static ObjectNode json(String text) {
    return (ObjectNode) Runs.JSON.readTree(text);
  }
}
