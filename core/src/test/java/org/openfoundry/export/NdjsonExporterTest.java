package org.openfoundry.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.export.ExportFixtures.JSON;
import static org.openfoundry.export.ExportFixtures.MASK;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.Choice;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.Line;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Prediction;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import org.openfoundry.rle.BinaryMask;
import tools.jackson.databind.JsonNode;

class NdjsonExporterTest {
  private static final DataRowRef ROW = DataRowRef.of("dr_1", "street-0001.jpg");
  private static final OptionalDouble UNSCORED = OptionalDouble.empty();

  private final NdjsonExporter exporter = new NdjsonExporter("run_1", DataRowKey.ID);

  private static String export(NdjsonExporter exporter, List<ExportRow> rows) {
    StringWriter out = new StringWriter();
    exporter.export(RowSource.of(rows), out);
    return out.toString();
  }

  private List<JsonNode> lines(Prediction... predictions) {
    String text = export(exporter, List.of(ExportRow.of(ROW, List.of(predictions))));
    return Arrays.stream(text.split("\n")).map(JSON::readTree).toList();
  }

  @Test
  void writes_a_box_as_a_bbox_line_with_its_confidence() {
    JsonNode line =
        lines(new Box("cat", 40, 30, 8, 10.5, OptionalDouble.of(0.7), List.of())).getFirst();

    assertThat(line.get("uuid").stringValue()).isEqualTo(exporter.uuid(ROW, "cat", 0).toString());
    assertThat(line.get("dataRow").get("id").stringValue()).isEqualTo("dr_1");
    assertThat(line.get("name").stringValue()).isEqualTo("cat");
    assertThat(line.get("confidence").doubleValue()).isEqualTo(0.7);
    JsonNode bbox = line.get("bbox");
    assertThat(bbox.get("top").doubleValue()).isEqualTo(30);
    assertThat(bbox.get("left").doubleValue()).isEqualTo(40);
    assertThat(bbox.get("height").doubleValue()).isEqualTo(10.5);
    assertThat(bbox.get("width").doubleValue()).isEqualTo(8);
    assertThat(line.has("classifications")).isFalse();
  }

  @Test
  void ends_every_line_with_a_newline_and_starts_none_with_a_space() {
    String text =
        export(
            exporter,
            List.of(
                ExportRow.of(
                    ROW,
                    List.of(
                        new Box("cat", 0, 0, 1, 1, UNSCORED, List.of()),
                        new Box("cat", 2, 2, 1, 1, UNSCORED, List.of())))));

    assertThat(text).endsWith("}\n").doesNotContain("\n ").startsWith("{");
    assertThat(text.split("\n")).hasSize(2);
  }

  @Test
  void leaves_out_the_confidence_of_an_unscored_prediction() {
    JsonNode line = lines(new Box("cat", 0, 0, 1, 1, UNSCORED, List.of())).getFirst();

    assertThat(line.has("confidence")).isFalse();
  }

  @Test
  void names_the_data_row_by_global_key_when_asked_and_by_id_when_it_has_none() {
    NdjsonExporter byKey = new NdjsonExporter("run_1", DataRowKey.GLOBAL_KEY);
    Box box = new Box("cat", 0, 0, 1, 1, UNSCORED, List.of());

    String text =
        export(
            byKey,
            List.of(
                ExportRow.of(ROW, List.of(box)),
                ExportRow.of(DataRowRef.of("dr_2"), List.of(box))));

    List<JsonNode> lines = Arrays.stream(text.split("\n")).map(JSON::readTree).toList();
    assertThat(lines.get(0).get("dataRow").toString())
        .isEqualTo("{\"globalKey\":\"street-0001.jpg\"}");
    assertThat(lines.get(1).get("dataRow").toString()).isEqualTo("{\"id\":\"dr_2\"}");
  }

  @Test
  void gives_the_same_uuids_on_every_export_of_the_same_run() {
    List<ExportRow> rows =
        List.of(
            ExportRow.of(
                ROW,
                List.of(
                    new Box("cat", 0, 0, 1, 1, UNSCORED, List.of()),
                    new Box("cat", 2, 2, 1, 1, UNSCORED, List.of()),
                    new Radio("sentiment", Choice.of("positive"), UNSCORED))));

    String first = export(exporter, rows);
    String second = export(new NdjsonExporter("run_1", DataRowKey.ID), rows);
    String otherRun = export(new NdjsonExporter("run_2", DataRowKey.ID), rows);

    assertThat(second).isEqualTo(first);
    List<String> uuids =
        Arrays.stream(first.split("\n"))
            .map(line -> JSON.readTree(line).get("uuid").stringValue())
            .toList();
    assertThat(uuids).doesNotHaveDuplicates();
    assertThat(otherRun).doesNotContain(uuids.get(0));
    UUID uuid = UUID.fromString(uuids.get(0));
    assertThat(uuid.version()).isEqualTo(5);
    assertThat(uuid.variant()).isEqualTo(2);
  }

  @Test
  void writes_a_mask_as_a_single_channel_png_of_zeros_and_ones() throws IOException {
    JsonNode line = lines(new Mask("road", MASK, OptionalDouble.of(0.95), List.of())).getFirst();

    byte[] png = Base64.getDecoder().decode(line.get("mask").get("png").stringValue());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(5);
    assertThat(image.getHeight()).isEqualTo(3);
    assertThat(image.getRaster().getNumBands()).isEqualTo(1);
    BinaryMask expected = BinaryMask.fromRows(List.of("01000", "01010", "00010"));
    for (int row = 0; row < 3; row++) {
      for (int column = 0; column < 5; column++) {
        int sample = image.getRaster().getSample(column, row, 0);
        assertThat(sample)
            .as("pixel at row %d, column %d", row, column)
            .isEqualTo(expected.get(row, column) ? 1 : 0);
      }
    }
  }

  @Test
  void writes_polygons_and_lines_as_lists_of_xy_and_a_point_as_xy() {
    List<JsonNode> lines =
        lines(
            new Polygon(
                "lake",
                List.of(new Vertex(0, 0), new Vertex(10, 0), new Vertex(10, 5.5)),
                UNSCORED,
                List.of()),
            new Line("lane", List.of(new Vertex(1, 2), new Vertex(3, 4)), UNSCORED, List.of()),
            new Point("eye", new Vertex(7, 8), UNSCORED, List.of()));

    assertThat(lines.get(0).get("polygon").toString())
        .isEqualTo("[{\"x\":0,\"y\":0},{\"x\":10,\"y\":0},{\"x\":10,\"y\":5.5}]");
    assertThat(lines.get(1).get("line").toString())
        .isEqualTo("[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]");
    assertThat(lines.get(2).get("point").toString()).isEqualTo("{\"x\":7,\"y\":8}");
  }

  @Test
  void writes_an_entity_location_with_an_inclusive_end() {
    JsonNode line = lines(new EntitySpan("person", 8, 11, "Bob", UNSCORED, List.of())).getFirst();

    assertThat(line.get("location").toString()).isEqualTo("{\"start\":8,\"end\":10}");
  }

  @Test
  void writes_radio_checklist_and_text_answers() {
    List<JsonNode> lines =
        lines(
            new Radio("sentiment", Choice.of("positive"), OptionalDouble.of(0.6)),
            new Checklist("emotion", List.of(Choice.of("joy"), Choice.of("fear")), UNSCORED),
            new FreeText("summary", "Tom and Bob", UNSCORED));

    assertThat(lines.get(0).get("answer").toString()).isEqualTo("{\"name\":\"positive\"}");
    assertThat(lines.get(0).get("confidence").doubleValue()).isEqualTo(0.6);
    assertThat(lines.get(1).get("answer").toString())
        .isEqualTo("[{\"name\":\"joy\"},{\"name\":\"fear\"}]");
    assertThat(lines.get(2).get("answer").stringValue()).isEqualTo("Tom and Bob");
  }

  @Test
  void nests_classifications_under_objects_and_under_chosen_options() {
    Checklist parts = new Checklist("visible parts", List.of(Choice.of("tail")), UNSCORED);
    Radio pose = new Radio("pose", new Choice("sitting", List.of(parts)), OptionalDouble.of(0.4));

    JsonNode line = lines(new Box("cat", 0, 0, 1, 1, UNSCORED, List.of(pose))).getFirst();

    assertThat(line.get("classifications").toString())
        .isEqualTo(
            "[{\"name\":\"pose\",\"confidence\":0.4,\"answer\":{\"name\":\"sitting\","
                + "\"classifications\":[{\"name\":\"visible parts\",\"answer\":[{\"name\":\"tail\"}]}]}}]");
  }

  @Test
  void streams_rows_from_a_lazy_source_and_closes_it() {
    AtomicInteger produced = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    RowSource rows =
        () ->
            IntStream.range(0, 5_000)
                .mapToObj(
                    index -> {
                      produced.incrementAndGet();
                      return ExportRow.of(
                          DataRowRef.of("dr_" + index),
                          List.<Prediction>of(new Box("cat", index, 0, 1, 1, UNSCORED, List.of())));
                    })
                .onClose(closed::incrementAndGet);
    StringWriter out = new StringWriter();

    ExportSummary summary = exporter.export(rows, out);

    assertThat(summary).isEqualTo(new ExportSummary(5_000, 5_000, 0));
    assertThat(produced).hasValue(5_000);
    assertThat(closed).hasValue(1);
    assertThat(out.toString().lines()).hasSize(5_000);
    JsonNode last = JSON.readTree(out.toString().lines().toList().get(4_999));
    assertThat(last.get("dataRow").get("id").stringValue()).isEqualTo("dr_4999");
  }
}
