package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;

class HuggingFaceAdapterTest {
  private static final String IMAGE = "https://files.example.com/street-0001.jpg";
  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  private Adapter adapter(FakeEndpoint endpoint, String options) {
    return registry.create("huggingface", Fixtures.config(endpoint.uri("/"), options));
  }

  @Test
  void maps_detected_objects_to_boxes_by_class_name() {
    String detections =
        """
        [{"score": 0.998, "label": "cat", "box": {"xmin": 10, "ymin": 20, "xmax": 110, "ymax": 70}},
         {"score": 0.71, "label": "remote", "box": {"xmin": 40, "ymin": 72, "xmax": 175, "ymax": 117}},
         {"score": 0.95, "label": "cat", "box": {"xmin": 300, "ymin": 20, "xmax": 350, "ymax": 90}}]
        """;
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(detections))) {
      AdapterResult result =
          adapter(
                  endpoint,
                  "{\"task\": \"object-detection\", \"label_map\": {\"remote\": \"remote control\"}}")
              .run(
                  Fixtures.imageRow(
                      IMAGE,
                      Fixtures.ontology(Tool.of("cat", FeatureKind.RECTANGLE)),
                      "{\"threshold\": 0.7}"),
                  new HttpClientTransport());

      var sent = endpoint.only().body();
      assertThat(sent.path("inputs").stringValue()).isEqualTo(IMAGE);
      assertThat(sent.at("/parameters/threshold").asDouble()).isEqualTo(0.7);
      assertThat(result.response().orElseThrow())
          .isEqualTo(
              Fixtures.json(
                  """
                  {"cat": {"boxes": [[10.0, 20.0, 100.0, 50.0], [300.0, 20.0, 50.0, 70.0]], "scores": [0.998, 0.95]},
                   "remote control": {"boxes": [[40.0, 72.0, 135.0, 45.0]], "scores": [0.71]}}
                  """));
    }
  }

  @Test
  void maps_grouped_entities_to_spans_of_the_row_text() {
    String entities =
        """
        [{"entity_group": "PER", "score": 0.99, "word": "Tom", "start": 0, "end": 3},
         {"entity_group": "PER", "score": 0.98, "word": "Bob", "start": 8, "end": 11},
         {"entity_group": "ORG", "score": 0.97, "word": "IBM", "start": 33, "end": 36}]
        """;
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(entities))) {
      AdapterResult result =
          adapter(
                  endpoint,
                  "{\"task\": \"token-classification\", \"label_map\": {\"PER\": \"person\", \"ORG\": \"organization\"}}")
              .run(
                  Fixtures.textRow(
                      "Tom and Bob are happy to work at IBM", Fixtures.classifications(), "{}"),
                  new HttpClientTransport());

      assertThat(endpoint.only().body().path("inputs").stringValue())
          .isEqualTo("Tom and Bob are happy to work at IBM");
      assertThat(result.response().orElseThrow())
          .isEqualTo(
              Fixtures.json(
                  """
                  {"person": [{"start": 0, "end": 3, "text": "Tom"}, {"start": 8, "end": 11, "text": "Bob"}],
                   "organization": [{"start": 33, "end": 36, "text": "IBM"}]}
                  """));
    }
  }

  @Test
  void joins_tagged_tokens_into_one_entity() {
    String tokens =
        """
        [{"entity": "B-PER", "score": 0.99, "index": 1, "word": "Anne", "start": 0, "end": 4},
         {"entity": "I-PER", "score": 0.98, "index": 2, "word": "Marie", "start": 5, "end": 10},
         {"entity": "B-LOC", "score": 0.97, "index": 6, "word": "Paris", "start": 20, "end": 25},
         {"entity": "B-LOC", "score": 0.91, "index": 8, "word": "Lyon", "start": 31, "end": 35}]
        """;
    String text = "Anne Marie lives in Paris, not Lyon";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(tokens))) {
      AdapterResult result =
          adapter(endpoint, "{\"task\": \"token-classification\"}")
              .run(
                  Fixtures.textRow(text, Fixtures.classifications(), "{}"),
                  new HttpClientTransport());

      assertThat(result.response().orElseThrow())
          .isEqualTo(
              Fixtures.json(
                  """
                  {"PER": [{"start": 0, "end": 10, "text": "Anne Marie"}],
                   "LOC": [{"start": 20, "end": 25, "text": "Paris"}, {"start": 31, "end": 35, "text": "Lyon"}]}
                  """));
    }
  }

  @Test
  void encodes_segmentation_masks_as_coco_rle() {
    String[] road = {"00000", "01110", "11111"};
    String[] sky = {"11111", "00000", "00000"};
    String masks =
        """
        [{"score": 0.93, "label": "road", "mask": "%s"},
         {"score": null, "label": "sky", "mask": "%s"}]
        """
            .formatted(
                Base64.getEncoder().encodeToString(Fixtures.png(road)),
                Base64.getEncoder().encodeToString(Fixtures.png(sky)));
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(masks))) {
      AdapterResult result =
          adapter(endpoint, "{\"task\": \"image-segmentation\"}")
              .run(
                  Fixtures.imageRow(
                      IMAGE,
                      Fixtures.ontology(Tool.of("road", FeatureKind.RASTER_SEGMENTATION)),
                      "{}"),
                  new HttpClientTransport());

      var response = result.response().orElseThrow();
      String roadCounts = RleMask.of(BinaryMask.fromRows(java.util.List.of(road))).compressed();
      assertThat(response.at("/road/masks/0/size").toString()).isEqualTo("[3,5]");
      assertThat(response.at("/road/masks/0/counts").stringValue()).isEqualTo(roadCounts);
      assertThat(response.at("/road/scores/0").asDouble()).isEqualTo(0.93);
      assertThat(
              RleMask.fromCompressed(3, 5, response.at("/sky/masks/0/counts").stringValue())
                  .toBinaryMask())
          .isEqualTo(BinaryMask.fromRows(java.util.List.of(sky)));
      assertThat(response.path("sky").has("scores")).isFalse();
    }
  }

  @Test
  void answers_a_radio_with_the_top_label_and_a_checklist_with_labels_above_the_threshold() {
    String labels =
        "[[{\"label\": \"joy\", \"score\": 0.61}, {\"label\": \"fear\", \"score\": 0.3}, {\"label\": \"anger\", \"score\": 0.09}]]";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(labels))) {
      AdapterResult radio =
          adapter(endpoint, "{\"task\": \"text-classification\"}")
              .run(
                  Fixtures.textRow(
                      "What a day",
                      Fixtures.classifications(Classification.radio("mood", "joy", "fear")),
                      "{}"),
                  new HttpClientTransport());
      AdapterResult checklist =
          adapter(endpoint, "{\"task\": \"text-classification\", \"classification\": \"emotion\"}")
              .run(
                  Fixtures.textRow(
                      "What a day",
                      Fixtures.classifications(
                          Classification.checklist("emotion", "joy", "fear", "anger")),
                      "{\"confidence\": 0.25}"),
                  new HttpClientTransport());

      assertThat(radio.response().orElseThrow()).isEqualTo(Fixtures.json("{\"mood\": \"joy\"}"));
      assertThat(checklist.response().orElseThrow())
          .isEqualTo(Fixtures.json("{\"emotion\": [\"joy\", \"fear\"]}"));
    }
  }

  @Test
  void names_the_bad_item_of_a_response() {
    String bad =
        "[{\"score\": 0.9, \"label\": \"cat\", \"box\": {\"xmin\": 1, \"ymin\": 2, \"xmax\": \"wide\", \"ymax\": 4}}]";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(bad))) {
      Adapter adapter = adapter(endpoint, "{\"task\": \"object-detection\"}");

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.imageRow(IMAGE, Fixtures.ontology(), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_RESPONSE_INVALID);
                assertThat(error.problems().getFirst().format())
                    .isEqualTo("[0].box.xmax: expected a number, got \"wide\"");
              });
    }
  }

  @Test
  void sends_a_conversation_to_text_generation_without_echo() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request -> FakeEndpoint.Answer.ok("[{\"generated_text\": \" Four.\"}]"))) {
      AdapterResult result =
          adapter(endpoint, "{\"task\": \"text-generation\"}")
              .runDirect(
                  Conversation.of(
                      Message.text(Role.SYSTEM, "Be brief."),
                      Message.text(Role.USER, "Two plus two?")),
                  Fixtures.params("{\"max_new_tokens\": 8}"),
                  new HttpClientTransport());

      var sent = endpoint.only().body();
      assertThat(sent.path("inputs").stringValue())
          .isEqualTo("System: Be brief.\n\nUser: Two plus two?\n\nAssistant:");
      assertThat(sent.at("/parameters/max_new_tokens").asInt()).isEqualTo(8);
      assertThat(sent.at("/parameters/return_full_text").asBoolean()).isFalse();
      assertThat(result.assistantText()).contains(" Four.");
    }
  }

  @Test
  void requires_a_known_task() {
    URI endpoint = URI.create("https://router.example.com/models/x");

    assertThat(registry.check("huggingface", Fixtures.config(endpoint, "{}")))
        .extracting(org.openfoundry.problems.Problem::path)
        .containsExactly("adapter_options.task");
    assertThat(
            registry.check("huggingface", Fixtures.config(endpoint, "{\"task\": \"translation\"}")))
        .extracting(org.openfoundry.problems.Problem::format)
        .containsExactly(
            "adapter_options.task: expected one of image-classification, image-segmentation,"
                + " object-detection, text-classification, text-generation,"
                + " token-classification, got \"translation\"");
  }
}
