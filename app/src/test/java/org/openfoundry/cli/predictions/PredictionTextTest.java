package org.openfoundry.cli.predictions;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PredictionTextTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TEXT = "Angela Merkel besuchte Berlin am Montag.";

  private static JsonNode line(String json) {
    return JSON.readTree(json);
  }

  /** A 10 x 10 mask PNG, as the export draws it, with {@code set} pixels set. */
  private static String maskPng(int set) throws Exception {
    BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
    for (int index = 0; index < set; index++) {
      image.getRaster().setSample(index % 10, index / 10, 0, 1);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return Base64.getEncoder().encodeToString(png.toByteArray());
  }

  @Test
  void a_box_says_its_size_place_and_score() {
    JsonNode box =
        line(
            "{\"name\": \"car\", \"confidence\": 0.934, \"bbox\": {\"top\": 96, \"left\": 120,"
                + " \"height\": 18, \"width\": 42.5}}");

    assertThat(PredictionText.describe(box, Optional.empty()))
        .isEqualTo("car: box 42.5x18 at (120, 96), 0.93");
    assertThat(PredictionText.kind(box)).isEqualTo(PredictionText.Kind.BOX);
  }

  @Test
  void a_mask_says_how_much_of_the_image_it_covers() throws Exception {
    JsonNode mask = line("{\"name\": \"road\", \"mask\": {\"png\": \"" + maskPng(31) + "\"}}");

    assertThat(PredictionText.coverage(mask)).hasValue(0.31);
    assertThat(PredictionText.describe(mask, Optional.empty()))
        .isEqualTo("road: mask, 31% of the image");
  }

  @Test
  void an_entity_is_shown_by_its_text_whose_end_the_export_writes_inclusive() {
    JsonNode entity = line("{\"name\": \"entity\", \"location\": {\"start\": 0, \"end\": 12}}");

    assertThat(PredictionText.describe(entity, Optional.of(TEXT)))
        .isEqualTo("entity: Angela Merkel");
    assertThat(PredictionText.describe(entity, Optional.empty()))
        .isEqualTo("entity: characters 0..12");
  }

  @Test
  void classifications_say_their_answers() {
    assertThat(
            PredictionText.describe(
                line("{\"name\": \"weather\", \"answer\": {\"name\": \"clear\"}}"),
                Optional.empty()))
        .isEqualTo("weather: clear");
    assertThat(
            PredictionText.describe(
                line(
                    "{\"name\": \"contains\", \"answer\": [{\"name\": \"names\"}, {\"name\":"
                        + " \"numbers\"}]}"),
                Optional.empty()))
        .isEqualTo("contains: names, numbers");
    assertThat(
            PredictionText.describe(
                line("{\"name\": \"summary\", \"answer\": \"Angela Merkel besuchte Berlin.\"}"),
                Optional.empty()))
        .isEqualTo("summary: \"Angela Merkel besuchte Berlin.\"");
  }

  @Test
  void a_row_is_summarized_objects_first_grouped_by_feature_then_answers() throws Exception {
    List<JsonNode> row =
        List.of(
            line(
                "{\"name\": \"car\", \"confidence\": 0.93, \"bbox\": {\"top\": 1, \"left\": 1, \"height\": 1, \"width\": 1}}"),
            line(
                "{\"name\": \"car\", \"confidence\": 0.88, \"bbox\": {\"top\": 5, \"left\": 5, \"height\": 1, \"width\": 1}}"),
            line("{\"name\": \"road\", \"mask\": {\"png\": \"" + maskPng(31) + "\"}}"),
            line("{\"name\": \"weather\", \"answer\": {\"name\": \"clear\"}}"));

    assertThat(PredictionText.summarizeRow(row, Optional.empty()))
        .isEqualTo("car x2 (0.93, 0.88), road mask 31% of the image; weather: clear");
  }

  @Test
  void a_text_row_lists_its_entities_by_their_words() {
    List<JsonNode> row =
        List.of(
            line("{\"name\": \"entity\", \"location\": {\"start\": 0, \"end\": 12}}"),
            line("{\"name\": \"entity\", \"location\": {\"start\": 23, \"end\": 28}}"),
            line("{\"name\": \"language\", \"answer\": {\"name\": \"de\"}}"));

    assertThat(PredictionText.summarizeRow(row, Optional.of(TEXT)))
        .isEqualTo("entity: Angela Merkel, Berlin; language: de");
  }

  @Test
  void counts_the_predictions_of_each_feature_by_kind() {
    List<JsonNode> lines =
        List.of(
            line("{\"name\": \"car\", \"bbox\": {}}"),
            line("{\"name\": \"car\", \"bbox\": {}}"),
            line("{\"name\": \"weather\", \"answer\": {\"name\": \"clear\"}}"));

    assertThat(PredictionText.countByFeature(lines)).isEqualTo("car 2 boxes, weather 1 answer");
    assertThat(PredictionText.countByFeature(List.of())).isEqualTo("none");
  }
}
