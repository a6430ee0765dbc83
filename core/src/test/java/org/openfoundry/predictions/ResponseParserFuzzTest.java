package org.openfoundry.predictions;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.export.CocoExporter;
import org.openfoundry.export.DataRowKey;
import org.openfoundry.export.DataRowRef;
import org.openfoundry.export.ExportRow;
import org.openfoundry.export.NdjsonExporter;
import org.openfoundry.export.RowSource;
import org.openfoundry.problems.FoundryException;

/**
 * Coverage-guided fuzzing of the response parser: any text, and responses put together from the
 * shapes models answer in (boxes, masks, spans, polygons, answers, the Labelbox annotation format),
 * give a report whose predictions belong to the ontology, keep their scores in 0..1 and above the
 * threshold, and export to NDJSON and COCO; the parser never throws but for its own typed errors.
 * Seeds are in {@code ResponseParserFuzzTestInputs}.
 */
class ResponseParserFuzzTest {
  private static final ResponseParser PARSER = new ResponseParser();
  private static final List<ParseContext> CONTEXTS =
      List.of(
          Fixtures.context()
              .withRowText(Fixtures.ROW_TEXT)
              .withImageSize(new ImageSize(64, 48))
              .withClassMapping(Map.of("kitty", "cat")),
          Fixtures.context().withConfidence(0.5));

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_text_gives_a_report_of_valid_predictions_that_export(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    for (ParseContext context : CONTEXTS) {
      read(() -> PARSER.parse(text, context), context);
    }
  }

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void responses_built_from_model_shapes_give_valid_predictions_that_export(
      FuzzedDataProvider data) {
    String text = new ResponseFragments(data).response();
    for (ParseContext context : CONTEXTS) {
      read(() -> PARSER.parse(text, context), context);
    }
  }

  /** The fuzzer mutates the PNG's bytes; the harness wraps them in a Labelbox mask. */
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void png_masks_of_any_bytes_are_read_or_reported(byte[] png) {
    String text =
        "{\"objects\": [{\"name\": \"road\", \"mask\": {\"png\": \""
            + Base64.getEncoder().encodeToString(png)
            + "\"}}]}";
    for (ParseContext context : CONTEXTS) {
      read(() -> PARSER.parse(text, context), context);
    }
  }

  private interface Parse {
    ParseReport run();
  }

  private static void read(Parse parse, ParseContext context) {
    ParseReport report;
    try {
      report = parse.run();
    } catch (FoundryException typed) {
      assertThat(typed.describe()).isNotBlank();
      return;
    }
    for (Prediction prediction : report.predictions()) {
      assertThat(context.ontology().feature(prediction.feature())).isPresent();
      prediction
          .score()
          .ifPresent(
              score -> {
                assertThat(score).isBetween(0.0, 1.0);
                assertThat(score).isGreaterThanOrEqualTo(context.confidence().orElse(0));
              });
      if (prediction instanceof EntitySpan span) {
        assertThat(span.start()).isBetween(0, span.end());
        context
            .rowText()
            .ifPresent(row -> assertThat(span.end()).isLessThanOrEqualTo(row.length()));
      }
    }
    ExportRow row =
        new ExportRow(DataRowRef.of("dr_1", "row-1"), context.imageSize(), report.predictions());
    try {
      new NdjsonExporter("run_1", DataRowKey.GLOBAL_KEY)
          .export(RowSource.of(List.of(row)), new StringWriter());
      new CocoExporter(context.ontology()).export(RowSource.of(List.of(row)), new StringWriter());
    } catch (FoundryException typed) {
      assertThat(typed.describe()).isNotBlank();
    }
  }

  /** A response's JSON text made of the keys and values models answer with. */
  private static final class ResponseFragments {
    private static final List<String> KEYS =
        List.of(
            "cat",
            "kitty",
            "dog",
            "road",
            "lake",
            "eye",
            "lane",
            "person",
            "organization",
            "summary",
            "sentiment",
            "emotion",
            "pose",
            "objects",
            "classifications",
            "unknown");
    private static final List<String> FIELDS =
        List.of(
            "boxes",
            "scores",
            "masks",
            "size",
            "counts",
            "polygons",
            "points",
            "lines",
            "start",
            "end",
            "text",
            "name",
            "value",
            "title",
            "answer",
            "answers",
            "radio_answer",
            "checklist_answers",
            "bbox",
            "bounding_box",
            "top",
            "left",
            "width",
            "height",
            "polygon",
            "x",
            "y",
            "location",
            "token",
            "confidence",
            "mask",
            "png",
            "line",
            "point",
            "classifications",
            "annotation_kind",
            "feature_id",
            "schemaId");
    private static final List<String> NUMBERS =
        List.of(
            "0",
            "1",
            "-1",
            "0.5",
            "0.95",
            "3",
            "5",
            "10",
            "48",
            "64",
            "1e308",
            "-1e308",
            "1e-320",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "NaN",
            "Infinity",
            "-Infinity",
            "1.0000000000000002",
            "65535",
            "46341");
    private static final List<String> STRINGS =
        List.of(
            "\"positive\"",
            "\"joy\"",
            "\"fear\"",
            "\"sitting\"",
            "\"head\"",
            "\"Tom\"",
            "\"Bob\"",
            "\"IBM\"",
            "\"3250N\"",
            "\"061M\"",
            "\"0PP1\"",
            "\"P\"",
            "\"\"",
            "\"cat\"",
            "\"ImageBoundingBox\"",
            "\"ImageSegmentationMask\"",
            "\"iVBORw0KGgo=\"",
            "\"\\u0000\"");

    private final FuzzedDataProvider data;
    private final StringBuilder json = new StringBuilder();

    ResponseFragments(FuzzedDataProvider data) {
      this.data = data;
    }

    String response() {
      object(0, KEYS);
      return json.toString();
    }

    private void value(int depth) {
      switch (depth > 5 ? data.consumeInt(0, 1) : data.consumeInt(0, 5)) {
        case 0 -> json.append(data.pickValue(NUMBERS));
        case 1 -> json.append(data.pickValue(STRINGS));
        case 2 -> numbers();
        case 3 -> list(depth);
        default -> object(depth + 1, FIELDS);
      }
    }

    private void object(int depth, List<String> keys) {
      json.append('{');
      int entries = data.consumeInt(0, 4);
      for (int entry = 0; entry < entries; entry++) {
        json.append(entry == 0 ? "" : ",").append('"').append(data.pickValue(keys)).append("\":");
        value(depth);
      }
      json.append('}');
    }

    private void list(int depth) {
      json.append('[');
      int items = data.consumeInt(0, 4);
      for (int item = 0; item < items; item++) {
        json.append(item == 0 ? "" : ",");
        value(depth + 1);
      }
      json.append(']');
    }

    private void numbers() {
      json.append('[');
      int items = data.consumeInt(0, 5);
      for (int item = 0; item < items; item++) {
        json.append(item == 0 ? "" : ",").append(data.pickValue(NUMBERS));
      }
      json.append(']');
    }
  }
}
