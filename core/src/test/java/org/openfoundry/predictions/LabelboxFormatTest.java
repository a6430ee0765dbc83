package org.openfoundry.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.predictions.Fixtures.context;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.Problem;
import org.openfoundry.rle.BinaryMask;

class LabelboxFormatTest {
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
  void reads_export_annotations_with_classifications_nested_under_objects_and_options() {
    ParseReport report =
        parse(
            """
            {"objects": [
               {"feature_id": "f1", "name": "cat", "value": "cat",
                "annotation_kind": "ImageBoundingBox",
                "bounding_box": {"top": 48.0, "left": 58.0, "height": 65.0, "width": 12.0},
                "classifications": [
                  {"name": "pose", "value": "pose",
                   "radio_answer": {"name": "sitting", "value": "sitting",
                     "classifications": [
                       {"name": "visible parts",
                        "checklist_answers": [{"name": "head"}, {"name": "tail"}]}]}}]},
               {"name": "lake", "annotation_kind": "ImagePolygon",
                "polygon": [{"x": 1, "y": 1}, {"x": 9, "y": 1}, {"x": 5, "y": 7}]},
               {"name": "lane", "line": [{"x": 0, "y": 0}, {"x": 4, "y": 4}]},
               {"name": "eye", "point": {"x": 3, "y": 2}}],
             "classifications": [
               {"name": "emotion", "checklist_answers": [{"name": "joy", "value": "joy"}]},
               {"name": "summary", "text_answer": {"content": "free form text"}},
               {"name": "sentiment", "radio_answer": {"name": "Negative"}}],
             "relationships": []}
            """);

    assertThat(report.problems()).isEmpty();
    Checklist parts =
        new Checklist(
            "visible parts", List.of(Choice.of("head"), Choice.of("tail")), OptionalDouble.empty());
    Radio pose = new Radio("pose", new Choice("sitting", List.of(parts)), OptionalDouble.empty());
    assertThat(report.predictions())
        .containsExactly(
            new Box("cat", 58, 48, 12, 65, OptionalDouble.empty(), List.of(pose)),
            new Polygon(
                "lake",
                List.of(new Vertex(1, 1), new Vertex(9, 1), new Vertex(5, 7)),
                OptionalDouble.empty(),
                List.of()),
            new Line(
                "lane",
                List.of(new Vertex(0, 0), new Vertex(4, 4)),
                OptionalDouble.empty(),
                List.of()),
            new Point("eye", new Vertex(3, 2), OptionalDouble.empty(), List.of()),
            new Checklist("emotion", List.of(Choice.of("joy")), OptionalDouble.empty()),
            new FreeText("summary", "free form text", OptionalDouble.empty()),
            new Radio("sentiment", Choice.of("negative"), OptionalDouble.empty()));
  }

  @Test
  void reads_the_older_title_bbox_answer_spelling() {
    ParseReport report =
        parse(
            """
            {"objects": [{"title": "dog", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4},
                          "classifications": []}],
             "classifications": [
               {"value": "sentiment", "answer": {"value": "positive"}},
               {"title": "emotion", "answers": [{"title": "fear"}, {"value": "anger"}]},
               {"value": "summary", "answer": "a dog"}]}
            """);

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new Box("dog", 2, 1, 4, 3, OptionalDouble.empty(), List.of()),
            new Radio("sentiment", Choice.of("positive"), OptionalDouble.empty()),
            new Checklist(
                "emotion", List.of(Choice.of("fear"), Choice.of("anger")), OptionalDouble.empty()),
            new FreeText("summary", "a dog", OptionalDouble.empty()));
  }

  @Test
  void reads_import_style_checklist_answers_under_answer() {
    ParseReport report =
        parse(
            "{\"classifications\": [{\"name\": \"emotion\", \"answer\": [{\"name\": \"joy\"}]}]}");

    assertThat(report.predictions())
        .containsExactly(
            new Checklist("emotion", List.of(Choice.of("joy")), OptionalDouble.empty()));
  }

  @Test
  void reads_entity_locations_as_inclusive_and_repairs_them_from_the_token() {
    ParseContext context = context().withRowText(Fixtures.ROW_TEXT);

    ParseReport report =
        parser.parse(
            """
            {"objects": [
               {"name": "person", "location": {"start": 0, "end": 2, "token": "Tom"}},
               {"name": "person", "location": {"start": 5, "end": 7, "token": "Bob"}},
               {"name": "organization", "location": {"start": 33, "end": 35}, "confidence": 0.8}]}
            """,
            context);

    assertThat(errors(report)).isEmpty();
    assertThat(report.predictions())
        .containsExactly(
            new EntitySpan("person", 0, 3, "Tom", OptionalDouble.empty(), List.of()),
            new EntitySpan("person", 8, 11, "Bob", OptionalDouble.empty(), List.of()),
            new EntitySpan("organization", 33, 36, "IBM", OptionalDouble.of(0.8), List.of()));
    assertThat(warnings(report))
        .containsExactly(
            "warning: objects[1].location: offsets 5..8 cover \"nd \" but the span text is"
                + " \"Bob\"; repaired to 8..11, its occurrence nearest 5");
  }

  @Test
  void reads_masks_as_coco_rle_or_as_a_base64_png() throws IOException {
    BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSample(1, 0, 0, 1);
    image.getRaster().setSample(1, 1, 0, 1);
    image.getRaster().setSample(3, 1, 0, 1);
    image.getRaster().setSample(3, 2, 0, 1);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    String base64 = Base64.getEncoder().encodeToString(png.toByteArray());

    ParseReport report =
        parse(
            "{\"objects\": [{\"name\": \"road\", \"mask\": {\"size\": [3, 5], \"counts\":"
                + " \"3250N\"}, \"confidence\": 0.9}, {\"name\": \"road\", \"mask\": {\"png\": \""
                + base64
                + "\"}}]}");

    assertThat(report.problems()).isEmpty();
    BinaryMask expected = BinaryMask.fromRows(List.of("01000", "01010", "00010"));
    assertThat(report.predictions())
        .extracting(prediction -> ((Mask) prediction).mask().toBinaryMask())
        .containsExactly(expected, expected);
    assertThat(report.predictions().getFirst().score()).hasValue(0.9);
  }

  @Test
  void refuses_a_png_mask_whose_header_claims_a_huge_image_before_decoding_it() {
    // A 68-byte file claiming 30000 x 30000 pixels: decoding it first would allocate 900 MB.
    String base64 = Base64.getEncoder().encodeToString(pngClaiming(30_000, 30_000));

    ParseReport report =
        parse("{\"objects\": [{\"name\": \"road\", \"mask\": {\"png\": \"" + base64 + "\"}}]}");

    assertThat(report.predictions()).isEmpty();
    assertThat(errors(report))
        .containsExactly(
            "objects[0].mask.png: a 30000 x 30000 PNG mask has more than 67108864 pixels, the most"
                + " one may have");
  }

  /** A grey PNG whose header claims {@code width} x {@code height} pixels, with one row of data. */
  private static byte[] pngClaiming(int width, int height) {
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height);
    header.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[1 + width]);
    deflater.finish();
    byte[] compressed = new byte[width + 64];
    int length = deflater.deflate(compressed);
    deflater.end();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", header.array());
    chunk(png, "IDAT", Arrays.copyOf(compressed, length));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(name);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void drops_objects_scored_under_the_confidence_threshold() {
    ParseContext context = context().withConfidence(0.5);

    ParseReport report =
        parser.parse(
            "{\"objects\": [{\"name\": \"dog\", \"confidence\": 0.4, \"bbox\": {\"top\": 0,"
                + " \"left\": 0, \"height\": 1, \"width\": 1}}]}",
            context);

    assertThat(report.predictions()).isEmpty();
    assertThat(report.droppedByFeature()).isEqualTo(Map.of("dog", 1));
  }

  @Test
  void reports_unknown_nested_questions_and_keeps_the_object() {
    ParseReport report =
        parse(
            "{\"objects\": [{\"name\": \"cat\", \"bbox\": {\"top\": 0, \"left\": 0, \"height\": 1,"
                + " \"width\": 1}, \"classifications\": [{\"name\": \"poze\", \"radio_answer\":"
                + " {\"name\": \"standing\"}}]}]}");

    assertThat(errors(report))
        .containsExactly(
            "objects[0].classifications[0]: unknown question \"poze\" under cat; expected one of"
                + " pose (did you mean `pose`?)");
    assertThat(report.predictions())
        .containsExactly(new Box("cat", 0, 0, 1, 1, OptionalDouble.empty(), List.of()));
  }

  @Test
  void reports_an_unknown_option_nested_under_an_object() {
    ParseReport report =
        parse(
            "{\"objects\": [{\"name\": \"cat\", \"bbox\": {\"top\": 0, \"left\": 0, \"height\": 1,"
                + " \"width\": 1}, \"classifications\": [{\"name\": \"pose\", \"radio_answer\":"
                + " {\"name\": \"lying\"}}]}]}");

    assertThat(errors(report))
        .containsExactly(
            "objects[0].classifications[0].radio_answer: unknown option \"lying\" for radio"
                + " question pose; expected one of standing, sitting");
  }

  @Test
  void says_which_geometry_a_tool_expects() {
    ParseReport report =
        parse("{\"objects\": [{\"name\": \"lake\", \"bbox\": {\"top\": 0, \"left\": 0}}]}");

    assertThat(errors(report))
        .containsExactly(
            "objects[0]: expected polygon [{\"x\", \"y\"}, ...] for polygon feature lake, got an"
                + " object with keys name, bbox");
  }

  @Test
  void rejects_a_classification_among_objects_and_a_tool_among_classifications() {
    ParseReport report =
        parse(
            "{\"objects\": [{\"name\": \"sentiment\"}], \"classifications\": [{\"name\": \"dog\","
                + " \"answer\": \"x\"}]}");

    assertThat(errors(report))
        .containsExactly(
            "objects[0]: sentiment is a radio classification; objects hold tools,"
                + " classifications go under \"classifications\"",
            "classifications[0]: dog is a rectangle tool; classifications hold questions, tools go"
                + " under \"objects\"");
  }

  @Test
  void reports_an_unknown_object_name_with_a_suggestion() {
    ParseReport report =
        parse("{\"objects\": [{\"name\": \"dgo\", \"point\": {\"x\": 1, \"y\": 1}}]}");

    assertThat(errors(report))
        .singleElement()
        .asString()
        .startsWith("objects[0]: unknown feature \"dgo\"")
        .endsWith("(did you mean `dog`?)");
  }

  @Test
  void applies_the_class_mapping_to_object_names() {
    ParseContext context = context().withClassMapping(Map.of("puppy", "dog"));

    ParseReport report =
        parser.parse(
            "{\"objects\": [{\"name\": \"puppy\", \"bbox\": {\"top\": 0, \"left\": 0, \"height\":"
                + " 1, \"width\": 1}}]}",
            context);

    assertThat(report.predictions()).extracting(Prediction::feature).containsExactly("dog");
  }

  @Test
  void reads_annotations_wrapped_as_in_an_export_row_and_warns_about_relationships() {
    ParseReport report =
        parse(
            "{\"annotations\": {\"objects\": [{\"name\": \"eye\", \"point\": {\"x\": 1, \"y\":"
                + " 2}}], \"classifications\": [], \"relationships\": [{\"source\": \"a\"}]}}");

    assertThat(report.predictions())
        .containsExactly(new Point("eye", new Vertex(1, 2), OptionalDouble.empty(), List.of()));
    assertThat(warnings(report))
        .containsExactly(
            "warning: annotations.relationships: ignored: relationships between objects are not"
                + " read");
  }

  @Test
  void mixes_labelbox_annotations_with_feature_keyed_values() {
    ParseReport report =
        parse(
            "{\"sentiment\": \"positive\", \"objects\": [{\"name\": \"eye\", \"point\": {\"x\": 1,"
                + " \"y\": 2}}]}");

    assertThat(report.problems()).isEmpty();
    assertThat(report.predictions()).hasSize(2);
  }
}
