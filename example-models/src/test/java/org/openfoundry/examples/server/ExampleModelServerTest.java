package org.openfoundry.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.bundle.ExampleBundle;
import org.openfoundry.examples.language.LoadedLanguageModel;
import org.openfoundry.examples.shapes.ShapesModel;
import org.openfoundry.rle.RleMask;
import tools.jackson.databind.JsonNode;

/** The example models over real HTTP, on the bundled data. */
class ExampleModelServerTest {
  private static ExampleModelServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    ExampleServerConfig config = ExampleServerConfig.defaults();
    HttpClient client = HttpImageLoader.client(config.imageFetch());
    server =
        new ExampleModelServer(
                config,
                List.of(
                    new ShapesModel(new HttpImageLoader(client, config.imageFetch())),
                    LoadedLanguageModel.get()))
            .start();
    http = new Http();
  }

  @AfterAll
  static void stop() {
    http.close();
    server.close();
  }

  @Test
  void shapes_finds_the_true_boxes_of_every_bundled_scene() {
    int matched = 0;
    for (JsonNode scene : groundTruth()) {
      JsonNode answer = shapes(scene.get("image").asString(), Manifests.ontology("shapes"), "{}");
      for (String feature : List.of("car", "sun", "sign")) {
        List<int[]> truth = new ArrayList<>();
        for (JsonNode object : scene.get("objects")) {
          if (object.get("feature").asString().equals(feature)) {
            truth.add(box(object.get("box")));
          }
        }
        JsonNode found = answer.get(feature).get("boxes");
        assertThat(found.size()).as("%s %s", scene.get("image"), feature).isEqualTo(truth.size());
        for (int[] expected : truth) {
          double best = 0;
          for (JsonNode candidate : found) {
            best = Math.max(best, iou(expected, box(candidate)));
          }
          assertThat(best).as("%s %s", scene.get("image"), feature).isGreaterThanOrEqualTo(0.8);
          matched++;
        }
      }
    }
    assertThat(matched).isGreaterThan(50);
  }

  @Test
  void shapes_answers_masks_that_decode_to_the_true_region_areas() {
    for (JsonNode scene : groundTruth()) {
      JsonNode answer = shapes(scene.get("image").asString(), Manifests.ontology("shapes"), "{}");
      for (String region : List.of("sky", "road", "grass")) {
        JsonNode masks = answer.get(region).get("masks");
        assertThat(masks.size()).isEqualTo(1);
        JsonNode mask = masks.get(0);
        assertThat(mask.get("size").toString()).isEqualTo("[240,320]");
        RleMask decoded = RleMask.fromCompressed(240, 320, mask.get("counts").asString());
        double trueArea = scene.get("regions").get(region).asDouble();
        assertThat((double) decoded.area())
            .as("%s %s", scene.get("image"), region)
            .isCloseTo(trueArea, within(trueArea * 0.03));
        assertThat(answer.get(region).get("scores").get(0).asDouble()).isBetween(0.5, 1.0);
      }
      assertThat(answer.get("weather").asString()).isEqualTo(scene.get("weather").asString());
    }
  }

  @Test
  void shapes_leaves_out_what_scores_below_the_confidence_asked_for() {
    String image = "scene-10.png";
    JsonNode all = shapes(image, Manifests.ontology("shapes"), "{\"confidence\": 0}");
    JsonNode sure = shapes(image, Manifests.ontology("shapes"), "{\"confidence\": 0.9}");
    JsonNode none = shapes(image, Manifests.ontology("shapes"), "{\"confidence\": 1}");

    assertThat(all.get("car").get("boxes").size()).isGreaterThan(0);
    assertThat(none.get("car").get("boxes").size()).isZero();
    assertThat(none.get("sky").get("masks").size()).isZero();
    for (JsonNode score : sure.get("car").get("scores")) {
      assertThat(score.asDouble()).isGreaterThanOrEqualTo(0.9);
    }
    assertThat(sure.get("car").get("boxes").size())
        .isLessThanOrEqualTo(all.get("car").get("boxes").size());
  }

  @Test
  void shapes_answers_objects_as_masks_and_regions_as_boxes_when_the_ontology_asks_so() {
    String ontology =
        """
        {"tools": [{"name": "car", "tool": "raster-segmentation"}, {"name": "road", "tool": "rectangle"},
                   {"name": "boat", "tool": "rectangle"}]}
        """;
    JsonNode answer = shapes("scene-10.png", ontology, "{}");

    assertThat(answer.propertyNames()).containsExactlyInAnyOrder("car", "road");
    JsonNode cars = answer.get("car").get("masks");
    assertThat(cars.size()).isEqualTo(3);
    for (JsonNode car : cars) {
      long area = RleMask.fromCompressed(240, 320, car.get("counts").asString()).area();
      assertThat(area).isBetween(300L, 3_000L);
    }
    JsonNode road = answer.get("road").get("boxes").get(0);
    assertThat(road.get(0).asInt()).isZero();
    assertThat(road.get(2).asInt()).isEqualTo(320);
  }

  @Test
  void language_names_the_language_of_the_bundled_texts() {
    int right = 0;
    List<JsonNode> rows = newsRows();
    for (JsonNode row : rows) {
      String expected = row.get("global_key").asString().split("-")[1];
      JsonNode answer = language(row.get("row_data").asString());
      if (answer.has("language") && answer.get("language").asString().equals(expected)) {
        right++;
      }
    }
    assertThat(rows).hasSize(24);
    assertThat(right).isGreaterThanOrEqualTo(22);
  }

  @Test
  void language_marks_entities_whose_text_matches_their_offsets() {
    int entities = 0;
    for (JsonNode row : newsRows()) {
      String text = row.get("row_data").asString();
      String language = row.get("global_key").asString().split("-")[1];
      JsonNode answer = language(text);
      assertThat(answer.get("summary").asString()).isNotBlank();
      assertThat(text).startsWith(answer.get("summary").asString());
      if (!List.of("en", "de", "fr").contains(language)) {
        assertThat(answer.has("entity")).isFalse();
        continue;
      }
      assertThat(answer.get("entity").size()).as(text).isPositive();
      for (JsonNode span : answer.get("entity")) {
        int start = span.get("start").asInt();
        int end = span.get("end").asInt();
        assertThat(text.substring(start, end)).isEqualTo(span.get("text").asString());
        entities++;
      }
      assertThat(answer.get("contains").toString()).contains("names");
    }
    assertThat(entities).isGreaterThan(30);
  }

  @Test
  void serves_the_bundled_images_and_lists_the_models() {
    Http.Reply image = http.get(URI.create(server.baseUri() + "/images/scene-01.png"));
    Http.Reply index = http.get(server.baseUri());

    assertThat(image.status()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(image.body()).isEqualTo(ExampleBundle.image("scene-01.png").orElseThrow());
    assertThat(index.json().get("models").findValuesAsString("name"))
        .containsExactly("shapes", "language");
    assertThat(index.json().get("images").size()).isEqualTo(24);
  }

  @Test
  void gives_each_models_manifest_with_the_endpoint_it_is_reached_at() {
    Http.Reply manifest = http.get(server.endpoint("language"));

    assertThat(manifest.status()).isEqualTo(200);
    assertThat(manifest.text())
        .contains("inference_endpoint: " + server.endpoint("language"))
        .contains("name: example-language");
  }

  private static JsonNode shapes(String image, String ontology, String params) {
    String url = server.baseUri() + "/images/" + image;
    Http.Reply reply = http.post(server.endpoint("shapes"), Http.task(url, ontology, params));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode language(String text) {
    Http.Reply reply =
        http.post(
            server.endpoint("language"), Http.task(text, Manifests.ontology("language"), "{}"));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode groundTruth() {
    return Http.JSON.readTree(ExampleBundle.groundTruth()).get("scenes");
  }

  private static List<JsonNode> newsRows() {
    return ExampleBundle.newsSnippets().lines().map(Http.JSON::readTree).toList();
  }

  private static int[] box(JsonNode box) {
    return new int[] {
      box.get(0).asInt(), box.get(1).asInt(), box.get(2).asInt(), box.get(3).asInt()
    };
  }

  private static double iou(int[] first, int[] second) {
    int left = Math.max(first[0], second[0]);
    int top = Math.max(first[1], second[1]);
    int right = Math.min(first[0] + first[2], second[0] + second[2]);
    int bottom = Math.min(first[1] + first[3], second[1] + second[3]);
    double overlap = (double) Math.max(0, right - left) * Math.max(0, bottom - top);
    return overlap / ((double) first[2] * first[3] + (double) second[2] * second[3] - overlap);
  }
}
