package org.openfoundry.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/models/{id}/chat} on the whole server, against fake model endpoints. */
class ChatApiTest {
  static final String RAW =
      "{\"text\" :  \"A red square.\",\n \"score\": 1.50, \"usage\": {\"prompt_tokens\": 9,"
          + " \"completion_tokens\": 4}}";
  static final String OPENAI =
      """
      {"id": "chatcmpl-7", "object": "chat.completion",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Blue."},
                    "finish_reason": "stop"}],
       "usage": {"prompt_tokens": 21, "completion_tokens": 1, "total_tokens": 22}}""";
  static final String LABELBOX_CONVERSATION =
      """
      {"type": "application/vnd.labelbox.conversational.model-chat-evaluation",
       "actors": {"u1": {"role": "human", "metadata": {"name": "tester"}},
                  "m1": {"role": "model", "metadata": {"modelConfigName": "old model"}}},
       "messages": {
         "a": {"actorId": "u1", "content": [{"type": "text", "content": "Hello"}],
               "childMessageIds": ["b"]},
         "b": {"actorId": "m1", "content": [{"type": "text", "content": "Hi there."}],
               "childMessageIds": ["c"]},
         "c": {"actorId": "u1", "content": [{"type": "text", "content": "Name a colour."}]}},
       "rootMessageIds": ["a"]}""";

  private static AppFixture server;
  private static HttpFixture http;
  private static String key;
  private static FakeEndpoint ours;
  private static FakeEndpoint openAi;
  private static HttpServer images;
  private static final byte[] SMALL_PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  @BeforeAll
  static void start() {
    ours = FakeEndpoint.answering(Reply.json(RAW));
    openAi = FakeEndpoint.answering(Reply.json(OPENAI));
    images = imageHost();
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
    images.stop(0);
    ours.close();
    openAi.close();
  }

  @Test
  void returns_the_raw_response_unchanged_with_the_assistant_text_usage_and_attempts() {
    String model = register(http, key, "plain-" + System.nanoTime(), ours.uri().toString(), "");

    HttpResponse<String> response = chat(model, "", prompt("What is this?"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"raw_response\":" + RAW);
    JsonNode answer = HttpFixture.json(response);
    assertThat(answer.get("assistant_text").asString()).isEqualTo("A red square.");
    assertThat(answer.get("usage").get("total_tokens").asInt()).isEqualTo(13);
    assertThat(answer.get("attempts").asInt()).isEqualTo(1);
    assertThat(answer.get("model_version").asInt()).isEqualTo(1);
    assertThat(answer.get("latency_ms").asLong()).isNotNegative();
    JsonNode sent = HttpFixture.json(ours.requests().getLast().body());
    assertThat(sent.at("/prompt/0/parts/0/text").asString()).isEqualTo("What is this?");
    assertThat(ours.requests().getLast().header("Authorization"))
        .isEqualTo("Bearer chat-secret-token");
  }

  @Test
  void answers_with_the_raw_body_alone_when_asked() {
    String model = register(http, key, "raw-" + System.nanoTime(), ours.uri().toString(), "");

    HttpResponse<String> response = chat(model, "?format=raw", prompt("Raw, please."));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(RAW);
    assertThat(response.headers().firstValue("OpenFoundry-Attempts")).contains("1");
    assertThat(response.headers().firstValue("OpenFoundry-Model-Version")).contains("1");
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
  }

  @Test
  void speaks_openai_and_takes_a_labelbox_conversation() {
    String model =
        register(
            http,
            key,
            "gpt-" + System.nanoTime(),
            openAi.uri().toString(),
            "adapter: openai\nadapter_options:\n  model: gpt-4o-mini\n");

    HttpResponse<String> response =
        chat(
            model,
            "",
            "{\"conversation\": "
                + LABELBOX_CONVERSATION
                + ", \"inference_params\": {\"temperature\": 0}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = HttpFixture.json(response);
    assertThat(answer.get("assistant_text").asString()).isEqualTo("Blue.");
    assertThat(answer.get("usage").get("input_tokens").asInt()).isEqualTo(21);
    JsonNode sent = HttpFixture.json(openAi.requests().getLast().body());
    assertThat(sent.get("messages"))
        .extracting(message -> message.get("role").asString())
        .containsExactly("user", "assistant", "user");
    assertThat(sent.at("/messages/2/content").asString()).isEqualTo("Name a colour.");
  }

  @Test
  void retries_a_503_and_honours_a_429s_retry_after() {
    try (FakeEndpoint flaky =
        FakeEndpoint.start(
            FakeEndpoint.sequence(
                Reply.status(503),
                Reply.withHeader(429, "Retry-After", "1"),
                Reply.json("{\"text\": \"third time\"}")))) {
      String model = register(http, key, "flaky-" + System.nanoTime(), flaky.uri().toString(), "");

      HttpResponse<String> response = chat(model, "", prompt("Again?"));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode answer = HttpFixture.json(response);
      assertThat(answer.get("attempts").asInt()).isEqualTo(3);
      assertThat(answer.get("elapsed_ms").asLong()).isGreaterThanOrEqualTo(1_000);
      assertThat(flaky.requests())
          .extracting(request -> request.header("Idempotency-Key"))
          .containsOnly(flaky.requests().getFirst().header("Idempotency-Key"));
    }
  }

  @Test
  void a_model_that_keeps_failing_is_a_502_in_the_one_error_shape() {
    try (FakeEndpoint failing = FakeEndpoint.answering(Reply.json(500, "{\"error\": \"down\"}"))) {
      String model =
          register(
              http,
              key,
              "failing-" + System.nanoTime(),
              failing.uri().toString(),
              "max_attempts: 2\n");

      HttpResponse<String> response = chat(model, "", prompt("Anyone?"));

      assertError(response, 502, "ADAPTER_ENDPOINT_FAILED");
      assertThat(response.body()).contains("2 attempts");
      assertThat(failing.requests()).hasSize(2);
    }
  }

  @Test
  void refuses_an_endpoint_the_outbound_rules_block() {
    String model =
        register(
            http, key, "metadata-" + System.nanoTime(), "http://169.254.169.254/latest/chat", "");

    HttpResponse<String> response = chat(model, "", prompt("Hello?"));

    assertError(response, 422, "OUTBOUND_BLOCKED");
  }

  @Test
  void checks_parameters_and_the_conversation_with_their_paths() {
    String model =
        register(
            http,
            key,
            "strict-" + System.nanoTime(),
            ours.uri().toString(),
            "inference_params_json_schema:\n"
                + "  type: object\n"
                + "  properties:\n"
                + "    temperature: {type: number, maximum: 2}\n");

    HttpResponse<String> badParams =
        chat(
            model,
            "",
            "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}],"
                + " \"inference_params\": {\"temperature\": 9}}");
    HttpResponse<String> badRole =
        chat(model, "", "{\"prompt\": [{\"role\": \"robot\", \"parts\": [{\"text\": \"hi\"}]}]}");
    HttpResponse<String> both =
        chat(model, "", "{\"prompt\": [], \"conversation\": " + LABELBOX_CONVERSATION + "}");
    HttpResponse<String> badLabelbox =
        chat(
            model,
            "",
            "{\"conversation\": {\"actors\": {}, \"messages\": {}, \"rootMessageIds\": [\"x\"]}}");

    assertError(badParams, 422, "INVALID_PARAMETERS");
    assertThat(detailPaths(badParams)).contains("temperature");
    assertError(badRole, 400, "INVALID_INPUT");
    assertThat(detailPaths(badRole)).contains("prompt[0].role");
    assertError(both, 400, "INVALID_INPUT");
    assertError(badLabelbox, 400, "INVALID_INPUT");
    assertThat(detailPaths(badLabelbox)).allMatch(path -> path.startsWith("conversation"));
    assertError(chat("mdl_01NOSUCHMODEL", "", prompt("hi")), 404, "NOT_FOUND");
  }

  @Test
  void inlines_image_urls_with_use_attachments_under_the_size_cap() {
    String model = register(http, key, "seer-" + System.nanoTime(), ours.uri().toString(), "");
    String base = "http://127.0.0.1:" + images.getAddress().getPort();

    HttpResponse<String> small = chat(model, "", imagePrompt(base + "/small.png"));
    HttpResponse<String> huge = chat(model, "", imagePrompt(base + "/huge.png"));
    HttpResponse<String> blocked = chat(model, "", imagePrompt("http://169.254.169.254/a.png"));

    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    JsonNode part = HttpFixture.json(ours.requests().getLast().body()).at("/prompt/0/parts/1");
    assertThat(Base64.getDecoder().decode(part.get("image").asString())).isEqualTo(SMALL_PNG);
    assertThat(part.get("media_type").asString()).isEqualTo("image/png");
    assertError(huge, 413, "PAYLOAD_TOO_LARGE");
    assertError(blocked, 422, "OUTBOUND_BLOCKED");
  }

  static String register(HttpFixture http, String key, String name, String endpoint, String more) {
    String yaml =
        """
        name: %s
        inference_endpoint: %s
        secrets: chat-secret-token
        allowed_asset_types: [conversational]
        """
                .formatted(name, endpoint)
            + more;
    HttpResponse<String> created = http.post("/api/v1/models", key, "application/yaml", yaml);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return HttpFixture.json(created).get("id").asString();
  }

  static String prompt(String text) {
    return "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"" + text + "\"}]}]}";
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = HttpFixture.json(response).get("error");
    assertThat(error.get("code").asString()).isEqualTo(code);
    assertThat(error.get("message").asString()).isNotBlank();
    assertThat(error.get("details").isArray()).isTrue();
  }

  private static java.util.List<String> detailPaths(HttpResponse<String> response) {
    return HttpFixture.json(response)
        .get("error")
        .get("details")
        .valueStream()
        .map(detail -> detail.get("path").asString())
        .toList();
  }

  private static HttpResponse<String> chat(String model, String query, String body) {
    return http.postJson("/api/v1/models/" + model + "/chat" + query, key, body);
  }

  private static String imagePrompt(String url) {
    return "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"What is it?\"},"
        + " {\"image_url\": \""
        + url
        + "\"}]}], \"inference_params\": {\"use_attachments\": true}}";
  }

  /** Serves a 1-pixel PNG, and a "PNG" past the 16 MiB image cap. */
  private static HttpServer imageHost() {
    try {
      HttpServer host =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      host.createContext(
          "/",
          exchange -> {
            byte[] body = SMALL_PNG;
            if (exchange.getRequestURI().getPath().equals("/huge.png")) {
              body = Arrays.copyOf(SMALL_PNG, 17 << 20);
            }
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            } catch (IOException clientWentAway) {
              // The fetcher stops reading past its cap.
            }
          });
      host.start();
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
