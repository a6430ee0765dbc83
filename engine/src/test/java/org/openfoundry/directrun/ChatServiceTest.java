package org.openfoundry.directrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.adapters.TokenUsage;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.models.Model;
import org.openfoundry.models.SecretChange;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ChatServiceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Conversation QUESTION =
      Conversation.of(
          Message.text(Role.SYSTEM, "You are terse."),
          Message.text(Role.USER, "What is in the picture?"));

  private final ChatFixture fixture = new ChatFixture();
  private FakeEndpoint endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    fixture.close();
  }

  @Test
  void returns_the_raw_response_byte_for_byte_with_the_assistant_text_and_usage() throws Exception {
    String raw =
        "{\"text\" :  \"A cat on a mat.\", \"score\": 1.50,\n"
            + " \"usage\": {\"prompt_tokens\": 12, \"completion_tokens\": 5}}";
    endpoint = FakeEndpoint.answering(Reply.json(raw));
    Model model = fixture.model(ChatFixture.manifest("captioner", endpoint.uri(), ""));

    ChatAnswer answer = chat(model, "{}");

    assertThat(answer.rawResponse()).isEqualTo(raw);
    assertThat(answer.assistantText()).contains("A cat on a mat.");
    assertThat(answer.usage()).contains(new TokenUsage(12, 5, 17));
    assertThat(answer.attempts()).isEqualTo(1);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.model().name()).isEqualTo("captioner");
    FakeEndpoint.Recorded request = endpoint.requests().getFirst();
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + ChatFixture.SECRET);
    assertThat(request.header("Idempotency-Key")).startsWith("chat_");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.at("/prompt/0/role").asString()).isEqualTo("system");
    assertThat(body.at("/prompt/1/parts/0/text").asString()).isEqualTo("What is in the picture?");
  }

  @Test
  void speaks_the_openai_format_through_the_models_adapter() throws Exception {
    endpoint =
        FakeEndpoint.answering(
            Reply.json(
                """
                {"id": "chatcmpl-1", "object": "chat.completion",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Two dogs."},
                              "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 2, "total_tokens": 32}}"""));
    Model model =
        fixture.model(
            ChatFixture.manifest(
                "vision-gpt",
                endpoint.uri(),
                "adapter: openai\nadapter_options:\n  model: gpt-4o-mini\n"));

    ChatAnswer answer = chat(model, "{\"temperature\": 0.2}");

    assertThat(answer.assistantText()).contains("Two dogs.");
    assertThat(answer.usage()).contains(new TokenUsage(30, 2, 32));
    JsonNode body = JSON.readTree(endpoint.requests().getFirst().body());
    assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
    assertThat(body.at("/messages/1/content").asString()).isEqualTo("What is in the picture?");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void retries_a_503_with_the_same_idempotency_key_and_counts_the_attempts() throws Exception {
    endpoint =
        FakeEndpoint.start(
            FakeEndpoint.sequence(
                Reply.status(503), Reply.status(503), Reply.json("{\"text\": \"ok\"}")));
    Model model = fixture.model(ChatFixture.manifest("flaky", endpoint.uri(), ""));

    ChatAnswer answer = chat(model, "{}");

    assertThat(answer.attempts()).isEqualTo(3);
    assertThat(endpoint.requests())
        .extracting(request -> request.header("Idempotency-Key"))
        .containsOnly(endpoint.requests().getFirst().header("Idempotency-Key"));
    assertThat(endpoint.requests())
        .extracting(request -> request.header("OpenFoundry-Attempt"))
        .containsExactly("1", "2", "3");
    assertThat(answer.elapsed()).isGreaterThanOrEqualTo(answer.latency());
  }

  @Test
  void honours_a_429s_retry_after_and_holds_the_whole_model_back() throws Exception {
    endpoint =
        FakeEndpoint.start(
            FakeEndpoint.sequence(
                Reply.withHeader(429, "Retry-After", "7"), Reply.json("{\"text\": \"later\"}")));
    Model model = fixture.model(ChatFixture.manifest("busy", endpoint.uri(), ""));

    ChatAnswer answer = chat(model, "{}");

    assertThat(answer.attempts()).isEqualTo(2);
    assertThat(fixture.waits).contains(Duration.ofSeconds(7));
    assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void a_429_holds_back_batch_starts_of_the_model_too() throws Exception {
    endpoint = FakeEndpoint.start(FakeEndpoint.always(Reply.withHeader(429, "Retry-After", "30")));
    Model model =
        fixture.model(ChatFixture.manifest("throttled", endpoint.uri(), "max_attempts: 1\n"));

    ChatOutcome outcome = fixture.service.call(target(model, "{}"), QUESTION);

    assertThat(outcome).isInstanceOf(ChatFailure.class);
    assertThat(fixture.limiter.reserve(model.id(), 1e9, 1, Duration.ofSeconds(29))).isEmpty();
    assertThat(fixture.limiter.reserve(model.id(), 1e9, 1, Duration.ofSeconds(30))).hasSize(1);
  }

  @Test
  void gives_up_after_the_models_attempts_with_the_last_status() throws Exception {
    endpoint = FakeEndpoint.answering(Reply.json(500, "{\"error\": {\"message\": \"boom\"}}"));
    Model model =
        fixture.model(ChatFixture.manifest("broken", endpoint.uri(), "max_attempts: 2\n"));

    ChatOutcome outcome = fixture.service.call(target(model, "{}"), QUESTION);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChatFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.ADAPTER_ENDPOINT_FAILED);
              assertThat(failure.status()).isEqualTo(OptionalInt.of(500));
              assertThat(failure.attempts()).isEqualTo(2);
              assertThat(failure.message()).contains("500").contains("boom").contains("2 attempts");
            });
    assertThat(endpoint.requests()).hasSize(2);
  }

  @Test
  void a_400_is_not_tried_again() throws Exception {
    endpoint = FakeEndpoint.answering(Reply.json(400, "{\"error\": \"no such thing\"}"));
    Model model = fixture.model(ChatFixture.manifest("picky", endpoint.uri(), ""));

    assertThatThrownBy(() -> chat(model, "{}"))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.ADAPTER_ENDPOINT_FAILED));
    assertThat(endpoint.requests()).hasSize(1);
  }

  @Test
  void masks_the_secret_where_the_endpoint_echoes_it() throws Exception {
    endpoint =
        FakeEndpoint.answering(
            Reply.json("{\"text\": \"your key is " + ChatFixture.SECRET + "\"}"));
    Model model = fixture.model(ChatFixture.manifest("echo", endpoint.uri(), ""));

    ChatAnswer answer = chat(model, "{}");

    assertThat(answer.rawResponse()).doesNotContain(ChatFixture.SECRET).contains("****");
  }

  @Test
  void checks_the_parameters_against_the_schema_and_fills_in_its_defaults() throws Exception {
    endpoint = FakeEndpoint.answering(Reply.json("{\"text\": \"fine\"}"));
    String schema =
        """
        max_tokens: 512
        inference_params_json_schema:
          type: object
          additionalProperties: false
          properties:
            temperature: {type: number, minimum: 0, maximum: 2}
            max_new_tokens: {type: integer, default: 256}
        """;
    Model model = fixture.model(ChatFixture.manifest("strict", endpoint.uri(), schema));

    assertThatThrownBy(() -> target(model, "{\"temperature\": 5, \"top_k\": 3}"))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS);
              assertThat(failure.problems())
                  .extracting(problem -> problem.path())
                  .contains("temperature", "top_k");
            });
    assertThatThrownBy(() -> target(model, "{\"max_new_tokens\": 4096}"))
        .hasMessageContaining("not valid")
        .satisfies(
            failure ->
                assertThat(((FoundryException) failure).problems().getFirst().message())
                    .contains("at most 512"));
    assertThatThrownBy(() -> target(model, "{\"use_attachments\": \"yes\"}"))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS));

    chat(model, "{\"temperature\": 1, \"use_attachments\": false}");

    JsonNode params = JSON.readTree(endpoint.requests().getFirst().body()).get("inference_params");
    assertThat(params).isEqualTo(JSON.readTree("{\"temperature\": 1, \"max_new_tokens\": 256}"));
  }

  @Test
  void talks_to_the_version_asked_for_or_else_the_latest() throws Exception {
    endpoint = FakeEndpoint.answering(Reply.json("{\"text\": \"v1\"}"));
    try (FakeEndpoint second = FakeEndpoint.answering(Reply.json("{\"text\": \"v2\"}"))) {
      Model model = fixture.model(ChatFixture.manifest("versioned", endpoint.uri(), ""));
      fixture
          .store
          .models()
          .addVersion(
              model.id(),
              new ManifestLoader()
                  .load("model.yaml", ChatFixture.manifest("versioned", second.uri(), ""))
                  .manifest()
                  .toJson(),
              new SecretChange.Keep());

      ChatTarget latest = fixture.service.target(model.id(), OptionalInt.empty(), params("{}"));
      ChatTarget first = fixture.service.target(model.id(), OptionalInt.of(1), params("{}"));

      assertThat(fixture.service.chat(latest, QUESTION).assistantText()).contains("v2");
      assertThat(fixture.service.chat(first, QUESTION).assistantText()).contains("v1");
      assertThat(first.model().version()).isEqualTo(1);
      assertThatThrownBy(() -> fixture.service.target(model.id(), OptionalInt.of(3), params("{}")))
          .isInstanceOfSatisfying(
              FoundryException.class,
              failure -> {
                assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                assertThat(failure.problems().getFirst().path()).isEqualTo("model_version");
              });
    }
  }

  @Test
  void passes_image_urls_on_unless_attachments_are_asked_for() throws Exception {
    endpoint = FakeEndpoint.answering(Reply.json("{\"text\": \"a picture\"}"));
    Model model = fixture.model(ChatFixture.manifest("seer", endpoint.uri(), ""));
    Conversation withUrl =
        Conversation.of(
            new Message(
                Role.USER,
                List.of(
                    new TextPart("Describe it."),
                    new ImageUrlPart(
                        URI.create("https://images.example.com/cat.png"), Optional.empty()))));

    Conversation kept = fixture.service.attachments(withUrl, params("{}"));
    fixture.service.chat(target(model, "{}"), kept);

    assertThat(kept).isEqualTo(withUrl);
    assertThat(
            JSON.readTree(endpoint.requests().getFirst().body())
                .at("/prompt/0/parts/1/image_url")
                .asString())
        .isEqualTo("https://images.example.com/cat.png");
  }

  private ChatAnswer chat(Model model, String params) throws InterruptedException {
    return fixture.service.chat(target(model, params), QUESTION);
  }

  private ChatTarget target(Model model, String params) {
    return fixture.service.target(model.id(), OptionalInt.empty(), params(params));
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) JSON.readTree(json);
  }
}
