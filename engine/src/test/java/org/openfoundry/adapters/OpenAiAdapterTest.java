package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;

class OpenAiAdapterTest {
  private static final String COMPLETION =
      """
      {"id": "chatcmpl-9", "object": "chat.completion", "created": 1767600000, "model": "gpt-4o-mini",
       "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": %s, "refusal": null}}],
       "usage": {"prompt_tokens": 812, "completion_tokens": 9, "total_tokens": 821}}
      """;

  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  private static FakeEndpoint answering(String content) {
    return FakeEndpoint.start(
        request ->
            FakeEndpoint.Answer.ok(
                COMPLETION.formatted(Fixtures.MAPPER.writeValueAsString(content))));
  }

  @Test
  void sends_a_conversation_as_chat_completion_messages_with_image_data_urls() {
    try (FakeEndpoint endpoint = answering("A red bicycle against a wall.")) {
      Adapter adapter =
          registry.create(
              "openai",
              Fixtures.config(
                  endpoint.uri("/v1/chat/completions"), "{\"model\": \"gpt-4o-mini\"}"));
      ImagePart image = ImagePart.of("image/png", Fixtures.png("10", "01"));
      Conversation conversation =
          Conversation.of(
              Message.text(Role.SYSTEM, "You are a careful assistant."),
              Message.text(Role.USER, "Hello"),
              Message.text(Role.ASSISTANT, "Hello! How can I help?"),
              new Message(
                  Role.USER,
                  List.of(
                      new TextPart("What is in this picture?"),
                      image,
                      new ImageUrlPart(
                          URI.create("https://files.example.com/b.jpg"), Optional.empty()))));

      AdapterResult result =
          adapter.runDirect(
              conversation,
              Fixtures.params(
                  "{\"max_new_tokens\": 256, \"temperature\": 0.2, \"use_attachments\": false}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.path("model").stringValue()).isEqualTo("gpt-4o-mini");
      assertThat(body.at("/messages/0").toString())
          .isEqualTo("{\"role\":\"system\",\"content\":\"You are a careful assistant.\"}");
      assertThat(body.at("/messages/2/role").stringValue()).isEqualTo("assistant");
      assertThat(body.at("/messages/3/content/0/type").stringValue()).isEqualTo("text");
      assertThat(body.at("/messages/3/content/1/type").stringValue()).isEqualTo("image_url");
      assertThat(body.at("/messages/3/content/1/image_url/url").stringValue())
          .isEqualTo("data:image/png;base64," + image.data());
      assertThat(body.at("/messages/3/content/2/image_url/url").stringValue())
          .isEqualTo("https://files.example.com/b.jpg");
      assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
      assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
      assertThat(body.has("use_attachments")).isFalse();
      assertThat(result.assistantText()).contains("A red bicycle against a wall.");
      assertThat(result.usage()).contains(new TokenUsage(812, 9, 821));
      assertThat(endpoint.only().header("Authorization")).contains("Bearer test-secret");
    }
  }

  @Test
  void asks_for_json_in_our_format_for_an_image_row_and_reads_the_answer() {
    String answer =
        "{\"person\": {\"boxes\": [[10, 20, 30, 40]], \"scores\": [0.8]}, \"label\": \"tench\"}";
    try (FakeEndpoint endpoint = answering(answer)) {
      Adapter adapter =
          registry.create(
              "openai",
              Fixtures.config(
                  endpoint.uri("/v1/chat/completions"),
                  "{\"model\": \"gpt-4o\", \"answer\": \"json\", \"max_tokens_field\": \"max_completion_tokens\"}"));
      TaskInput row =
          Fixtures.imageRow(
              "https://files.example.com/street-0001.jpg",
              new org.openfoundry.ontology.Ontology(
                  Optional.empty(),
                  List.of(Tool.of("person", FeatureKind.RECTANGLE)),
                  List.of(Classification.radio("label", "tench", "goldfish"))),
              "{\"prompt\": \"Find the people.\", \"max_new_tokens\": 1024}");

      AdapterResult result = adapter.run(row, new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/response_format/type").stringValue()).isEqualTo("json_object");
      assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(1024);
      String instructions = body.at("/messages/0/content").stringValue();
      assertThat(body.at("/messages/0/role").stringValue()).isEqualTo("system");
      assertThat(instructions)
          .contains("\"person\": {\"boxes\": [[left, top, width, height]")
          .contains("\"label\": one of \"tench\", \"goldfish\"");
      assertThat(body.at("/messages/1/content/0/text").stringValue()).isEqualTo("Find the people.");
      assertThat(body.at("/messages/1/content/1/image_url/url").stringValue())
          .isEqualTo("https://files.example.com/street-0001.jpg");
      assertThat(result.response()).contains(Fixtures.object(answer));
      assertThat(result.usage()).isPresent();
    }
  }

  @Test
  void puts_a_free_text_answer_for_a_text_row_into_the_text_classification() {
    try (FakeEndpoint endpoint = answering("Tom and Bob are happy at work.")) {
      Adapter adapter =
          registry.create(
              "openai",
              Fixtures.config(
                  endpoint.uri("/v1/chat/completions"), "{\"model\": \"gpt-4o-mini\"}"));
      TaskInput row =
          Fixtures.textRow(
              "Tom and Bob are happy to work at IBM",
              Fixtures.classifications(Classification.text("summary")),
              "{\"prompt\": \"Summarise:\"}");

      AdapterResult result = adapter.run(row, new HttpClientTransport());

      assertThat(endpoint.only().body().at("/messages/1/content").stringValue())
          .isEqualTo("Summarise:\n\nTom and Bob are happy to work at IBM");
      assertThat(result.response().orElseThrow().path("summary").stringValue())
          .isEqualTo("Tom and Bob are happy at work.");
    }
  }

  @Test
  void inlines_the_row_image_when_asked_for_endpoints_that_cannot_fetch_urls() {
    URI url = URI.create("https://files.example.com/tiny.png");
    byte[] png = Fixtures.png("1");
    AdapterRegistry withImages = new AdapterRegistry(Fixtures.environment(Map.of(url, png)));
    try (FakeEndpoint endpoint = answering("{}")) {
      Adapter adapter =
          withImages.create(
              "openai",
              Fixtures.config(
                  endpoint.uri("/v1/chat/completions"),
                  "{\"model\": \"llava\", \"image_input\": \"inline\"}"));

      adapter.run(
          Fixtures.imageRow(
              url.toString(), Fixtures.ontology(Tool.of("cat", FeatureKind.RECTANGLE)), "{}"),
          new HttpClientTransport());

      assertThat(endpoint.only().body().at("/messages/1/content/0/image_url/url").stringValue())
          .isEqualTo(ImagePart.of("image/png", png).dataUrl());
    }
  }

  @Test
  void reports_a_refusal_for_a_data_row() {
    String refused =
        """
        {"choices": [{"index": 0, "message": {"role": "assistant", "content": null,
                      "refusal": "I can't help with that."}}]}
        """;
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(refused))) {
      Adapter adapter =
          registry.create(
              "openai",
              Fixtures.config(endpoint.uri("/v1/chat/completions"), "{\"model\": \"m\"}"));

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.textRow(
                          "x", Fixtures.classifications(Classification.text("t")), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_RESPONSE_INVALID);
                assertThat(error.describe())
                    .contains(
                        "choices[0].message.refusal: the model refused: I can't help with that.");
              });
    }
  }

  @Test
  void requires_a_model_name() {
    List<org.openfoundry.problems.Problem> problems =
        registry.check(
            "openai",
            Fixtures.config(URI.create("https://api.example.com/v1/chat/completions"), "{}"));

    assertThat(problems)
        .extracting(org.openfoundry.problems.Problem::format)
        .containsExactly("adapter_options.model: required: the model name, e.g. gpt-4o-mini");
  }
}
