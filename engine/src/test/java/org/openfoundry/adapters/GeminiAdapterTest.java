package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.ontology.Classification;
import org.openfoundry.problems.ErrorCode;

class GeminiAdapterTest {
  private static final String ANSWER =
      """
      {"candidates": [{"content": {"role": "model", "parts": [{"text": "A cat "}, {"text": "on a mat."}]},
                       "finishReason": "STOP", "index": 0}],
       "usageMetadata": {"promptTokenCount": 266, "candidatesTokenCount": 6, "totalTokenCount": 272},
       "modelVersion": "gemini-2.0-flash"}
      """;

  @Test
  void sends_contents_with_model_roles_a_system_instruction_and_inline_images() {
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(ANSWER))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment())
              .create(
                  "gemini",
                  Fixtures.config(
                      endpoint.uri("/v1beta/models/gemini-2.0-flash:generateContent"),
                      "{\"generation_config\": {\"candidateCount\": 1}}"));
      ImagePart image = ImagePart.of("image/png", Fixtures.png("1"));
      Conversation conversation =
          Conversation.of(
              Message.text(Role.SYSTEM, "Answer briefly."),
              Message.text(Role.USER, "Hi"),
              Message.text(Role.ASSISTANT, "Hello!"),
              new Message(Role.USER, List.of(new TextPart("What is this?"), image)));

      AdapterResult result =
          adapter.runDirect(
              conversation,
              Fixtures.params("{\"max_new_tokens\": 100, \"top_p\": 0.9, \"stop\": \"END\"}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/systemInstruction/parts/0/text").stringValue())
          .isEqualTo("Answer briefly.");
      assertThat(body.at("/contents/0/role").stringValue()).isEqualTo("user");
      assertThat(body.at("/contents/1/role").stringValue()).isEqualTo("model");
      assertThat(body.at("/contents/2/parts/0/text").stringValue()).isEqualTo("What is this?");
      assertThat(body.at("/contents/2/parts/1/inline_data/mime_type").stringValue())
          .isEqualTo("image/png");
      assertThat(body.at("/contents/2/parts/1/inline_data/data").stringValue())
          .isEqualTo(image.data());
      assertThat(body.path("contents")).hasSize(3);
      assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(100);
      assertThat(body.at("/generationConfig/topP").asDouble()).isEqualTo(0.9);
      assertThat(body.at("/generationConfig/stopSequences/0").stringValue()).isEqualTo("END");
      assertThat(body.at("/generationConfig/candidateCount").asInt()).isEqualTo(1);
      assertThat(result.assistantText()).contains("A cat on a mat.");
      assertThat(result.usage()).contains(new TokenUsage(266, 6, 272));
    }
  }

  @Test
  void fetches_the_row_image_and_reads_the_answer_as_json_in_json_mode() {
    URI url = URI.create("https://files.example.com/fish.png");
    byte[] png = Fixtures.png("11", "11");
    String answer =
        """
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "{\\"label\\": \\"goldfish\\"}"}]}}]}
        """;
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(answer))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment(Map.of(url, png)))
              .create(
                  "gemini",
                  Fixtures.config(
                      endpoint.uri("/v1/models/gemini:generateContent"), "{\"answer\": \"json\"}"));

      AdapterResult result =
          adapter.run(
              Fixtures.imageRow(
                  url.toString(),
                  Fixtures.classifications(Classification.radio("label", "tench", "goldfish")),
                  "{}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/generationConfig/responseMimeType").stringValue())
          .isEqualTo("application/json");
      assertThat(body.at("/contents/0/parts/0/inline_data/data").stringValue())
          .isEqualTo(ImagePart.of("image/png", png).data());
      assertThat(body.at("/systemInstruction/parts/0/text").stringValue())
          .contains("\"label\": one of");
      assertThat(result.response().orElseThrow().path("label").stringValue()).isEqualTo("goldfish");
    }
  }

  @Test
  void reports_a_blocked_prompt() {
    String blocked = "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(blocked))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment())
              .create(
                  "gemini", Fixtures.config(endpoint.uri("/v1/models/g:generateContent"), "{}"));

      assertThatThrownBy(
              () ->
                  adapter.runDirect(
                      Conversation.of(Message.text(Role.USER, "...")),
                      Fixtures.params("{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_RESPONSE_INVALID);
                assertThat(error.describe())
                    .contains(
                        "candidates: the model gave no answer: the prompt was blocked (SAFETY)");
              });
    }
  }
}
