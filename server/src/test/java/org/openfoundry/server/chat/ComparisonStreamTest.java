package org.openfoundry.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.chat.ChatApiTest.assertError;
import static org.openfoundry.server.chat.ChatApiTest.register;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;
import tools.jackson.databind.JsonNode;

/** A comparison asked for as NDJSON: each answer on its own line, then the stored comparison. */
class ComparisonStreamTest {
  private static AppFixture server;
  private static FakeEndpoint ours;
  private static FakeEndpoint down;
  private static String alpha;
  private static String gamma;

  @BeforeAll
  static void start() {
    ours = FakeEndpoint.answering(Reply.json(ChatApiTest.RAW));
    down = FakeEndpoint.answering(Reply.status(500));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    alpha = register(server.http, server.memberKey, "alpha", ours.uri().toString(), "");
    gamma =
        register(
            server.http, server.memberKey, "gamma", down.uri().toString(), "max_attempts: 1\n");
  }

  @AfterAll
  static void stop() {
    server.close();
    ours.close();
    down.close();
  }

  @Test
  void streams_each_answer_then_the_stored_comparison() {
    HttpResponse<String> response =
        stream("{\"models\": [\"" + alpha + "\", \"" + gamma + "\"], " + prompt());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/x-ndjson");
    List<JsonNode> lines = response.body().lines().map(HttpFixture::json).toList();
    assertThat(lines)
        .extracting(line -> line.get("event").asString())
        .containsExactly("answer", "answer", "comparison");
    JsonNode answered =
        lines.stream()
            .filter(line -> line.path("index").asInt() == 0 && line.has("answer"))
            .findFirst()
            .orElseThrow()
            .get("answer");
    assertThat(answered.get("model_name").asString()).isEqualTo("alpha");
    assertThat(answered.get("assistant_text").asString()).isEqualTo("A red square.");
    assertThat(response.body())
        .as("the raw response as it came, its line breaks as spaces")
        .contains("\"raw_response\":" + ChatApiTest.RAW.replace('\n', ' '));
    JsonNode comparison = lines.get(2).get("comparison");
    assertThat(comparison.get("answers").get(0).get("message_id").asString())
        .isEqualTo(answered.get("message_id").asString());
    assertThat(comparison.get("answers").get(1).get("outcome").asString()).isEqualTo("failed");
    JsonNode stored =
        HttpFixture.json(
            server.http.get(
                "/api/v1/chat/comparisons/" + comparison.get("id").asString(), server.memberKey));
    assertThat(stored.get("answers")).hasSize(2);
  }

  @Test
  void refuses_a_bad_comparison_with_the_usual_error_before_streaming() {
    HttpResponse<String> response = stream("{\"models\": [\"" + alpha + "\"], " + prompt());

    assertError(response, 400, "INVALID_INPUT");
    assertThat(response.body()).contains("\"path\":\"models\"");
  }

  private static String prompt() {
    return ChatApiTest.prompt("Name a colour.").substring(1);
  }

  private static HttpResponse<String> stream(String body) {
    return server.http.send(
        server
            .http
            .request("/api/v1/chat/comparisons", server.memberKey)
            .header("Content-Type", "application/json")
            .header("Accept", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
