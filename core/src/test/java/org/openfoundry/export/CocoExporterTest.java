package org.openfoundry.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfoundry.export.ExportFixtures.JSON;
import static org.openfoundry.export.ExportFixtures.MASK;
import static org.openfoundry.export.ExportFixtures.ONTOLOGY;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Choice;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.ImageSize;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class CocoExporterTest {
  private static final OptionalDouble UNSCORED = OptionalDouble.empty();

  private final CocoExporter exporter = new CocoExporter(ONTOLOGY);

  private final List<ExportRow> rows =
      List.of(
          new ExportRow(
              DataRowRef.of("dr_1", "street-0001.jpg"),
              Optional.of(new ImageSize(640, 480)),
              List.of(
                  new Box("cat", 10, 20, 30, 40, OptionalDouble.of(0.9), List.of()),
                  new Point("eye", new Vertex(1, 1), UNSCORED, List.of()),
                  new Radio("sentiment", Choice.of("positive"), UNSCORED))),
          ExportRow.of(
              DataRowRef.of("dr_2"),
              List.of(
                  new Mask("road", MASK, OptionalDouble.of(0.95), List.of()),
                  new Polygon(
                      "lake",
                      List.of(new Vertex(0, 0), new Vertex(4, 0), new Vertex(4, 3)),
                      UNSCORED,
                      List.of()))),
          ExportRow.of(
              DataRowRef.of("dr_3"),
              List.of(new EntitySpan("person", 0, 3, "Tom", UNSCORED, List.of()))));

  private JsonNode export() {
    StringWriter out = new StringWriter();
    exporter.export(RowSource.of(rows), out);
    return JSON.readTree(out.toString());
  }

  @Test
  void lists_one_image_per_row_named_by_global_key_or_id_with_its_size_when_known() {
    JsonNode images = export().get("images");

    assertThat(images.toString())
        .isEqualTo(
            "[{\"id\":1,\"file_name\":\"street-0001.jpg\",\"data_row_id\":\"dr_1\",\"width\":640,"
                + "\"height\":480},"
                + "{\"id\":2,\"file_name\":\"dr_2\",\"data_row_id\":\"dr_2\",\"width\":5,\"height\":3},"
                + "{\"id\":3,\"file_name\":\"dr_3\",\"data_row_id\":\"dr_3\"}]");
  }

  @Test
  void numbers_categories_from_the_ontology_tools_coco_can_express() {
    JsonNode categories = export().get("categories");

    assertThat(categories.toString())
        .isEqualTo(
            "[{\"id\":1,\"name\":\"cat\",\"supercategory\":\"rectangle\"},"
                + "{\"id\":2,\"name\":\"road\",\"supercategory\":\"raster-segmentation\"},"
                + "{\"id\":3,\"name\":\"lake\",\"supercategory\":\"polygon\"}]");
  }

  @Test
  void writes_a_box_annotation_with_bbox_area_and_score() {
    JsonNode box = export().get("annotations").get(0);

    assertThat(box.toString())
        .isEqualTo(
            "{\"id\":1,\"image_id\":1,\"category_id\":1,\"bbox\":[10,20,30,40],\"area\":1200,"
                + "\"score\":0.9,\"iscrowd\":0}");
  }

  @Test
  void writes_a_mask_annotation_with_its_rle_segmentation_and_pixel_box() {
    JsonNode mask = export().get("annotations").get(1);

    assertThat(mask.get("image_id").intValue()).isEqualTo(2);
    assertThat(mask.get("category_id").intValue()).isEqualTo(2);
    assertThat(mask.get("segmentation").toString())
        .isEqualTo("{\"size\":[3,5],\"counts\":\"3250N\"}");
    assertThat(mask.get("bbox").toString()).isEqualTo("[1,0,3,3]");
    assertThat(mask.get("area").intValue()).isEqualTo(4);
    assertThat(mask.get("score").doubleValue()).isEqualTo(0.95);
  }

  @Test
  void writes_a_polygon_annotation_as_a_flat_coordinate_list() {
    JsonNode polygon = export().get("annotations").get(2);

    assertThat(polygon.get("segmentation").toString()).isEqualTo("[[0,0,4,0,4,3]]");
    assertThat(polygon.get("bbox").toString()).isEqualTo("[0,0,4,3]");
    assertThat(polygon.get("area").intValue()).isEqualTo(6);
    assertThat(polygon.has("score")).isFalse();
    assertThat(polygon.get("iscrowd").intValue()).isZero();
  }

  @Test
  void counts_the_predictions_coco_cannot_hold_as_skipped() {
    ExportSummary summary = exporter.export(RowSource.of(rows), new StringWriter());

    assertThat(summary).isEqualTo(new ExportSummary(3, 3, 3));
    assertThat(export().get("annotations").size()).isEqualTo(3);
  }

  @Test
  void reads_the_rows_once_and_closes_them() {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    RowSource source =
        () -> {
          opened.incrementAndGet();
          return rows.stream().onClose(closed::incrementAndGet);
        };

    exporter.export(source, new StringWriter());

    assertThat(opened).hasValue(1);
    assertThat(closed).hasValue(1);
  }

  @Test
  void puts_each_annotation_on_its_own_rows_image_while_rows_keep_finishing() {
    // A run in progress: a row with an earlier place can succeed between two reads of the rows.
    List<ExportRow> before = List.of(boxRow("dr_1", 1), boxRow("dr_3", 3));
    List<ExportRow> after = List.of(boxRow("dr_1", 1), boxRow("dr_2", 2), boxRow("dr_3", 3));
    AtomicInteger opened = new AtomicInteger();
    RowSource inProgress = () -> (opened.getAndIncrement() == 0 ? before : after).stream();
    StringWriter out = new StringWriter();

    exporter.export(inProgress, out);

    JsonNode coco = JSON.readTree(out.toString());
    assertThat(coco.get("images").valueStream().map(image -> image.get("data_row_id").asString()))
        .containsExactly("dr_1", "dr_3");
    assertThat(
            coco.get("annotations")
                .valueStream()
                .map(box -> box.get("image_id").asLong() + ":" + box.get("bbox").get(0).asInt()))
        .containsExactly("1:1", "2:3");
  }

  @Test
  void leaves_a_document_that_failed_part_of_the_way_unfinished_rather_than_looking_whole() {
    RowSource failing =
        () ->
            Stream.of(1, 2)
                .map(
                    row -> {
                      if (row == 2) {
                        throw new IllegalStateException("the database went away");
                      }
                      return boxRow("dr_1", 1);
                    });
    StringWriter out = new StringWriter();

    assertThatThrownBy(() -> exporter.export(failing, out)).hasMessage("the database went away");
    assertThatThrownBy(() -> JSON.readTree(out.toString())).isInstanceOf(JacksonException.class);
  }

  private static ExportRow boxRow(String id, double left) {
    return ExportRow.of(
        DataRowRef.of(id), List.of(new Box("cat", left, 0, 10, 10, UNSCORED, List.of())));
  }

  @Test
  void gives_the_same_document_on_every_export() {
    assertThat(export()).isEqualTo(export());
  }
}
