package org.openfoundry.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.openfoundry.server.chat.ChatApiTest.assertError;
import static org.openfoundry.server.chat.ChatApiTest.register;

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

/**
 * Side by side through the API: one conversation to several models, judgments, both exports. The
 * server is this class's own and only one test stores comparisons, so the exports hold exactly what
 * it made.
 */
class ComparisonsApiTest {
  private static AppFixture server;
  private static HttpFixture http;
  private static String key;
  private static FakeEndpoint ours;
  private static FakeEndpoint openAi;
  private static FakeEndpoint down;
  private static String alpha;
  private static String beta;
  private static String gamma;

  @BeforeAll
  static void start() {
    ours = FakeEndpoint.answering(Reply.json(ChatApiTest.RAW));
    openAi = FakeEndpoint.answering(Reply.json(ChatApiTest.OPENAI));
    down = FakeEndpoint.answering(Reply.status(500));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    http = server.http;
    key = server.memberKey;
    alpha = register(http, key, "alpha", ours.uri().toString(), "");
    beta =
        register(
            http,
            key,
            "beta",
            openAi.uri().toString(),
            "adapter: openai\nadapter_options:\n  model: gpt-4o-mini\n");
    gamma = register(http, key, "gamma", down.uri().toString(), "max_attempts: 1\n");
  }

  @AfterAll
  static void stop() {
    server.close();
    ours.close();
    openAi.close();
    down.close();
  }

  @Test
  void compares_judges_and_exports_labelbox_annotations_and_win_rates() {
    JsonNode first = compare("colours-1", alpha, beta, gamma);
    JsonNode second = compare("colours-2", alpha, beta);
    String alphaFirst = messageOf(first, alpha);
    String betaFirst = messageOf(first, beta);
    HttpResponse<String> failedPick =
        http.postJson(
            "/api/v1/chat/comparisons/" + id(first) + "/judgments",
            key,
            "{\"kind\": \"single_selection\", \"selected\": \"" + gamma + "\"}");
    assertError(failedPick, 400, "INVALID_INPUT");
    assertThat(failedPick.body())
        .contains("\"path\":\"selected\"")
        .contains("gamma gave no answer");

    assertThat(first.get("answers"))
        .extracting(answer -> answer.get("outcome").asString())
        .containsExactly("answered", "answered", "failed");
    assertThat(first.get("answers").get(2).get("error").get("code").asString())
        .isEqualTo("ADAPTER_ENDPOINT_FAILED");
    JsonNode stored = ok(http.get("/api/v1/chat/comparisons/" + id(first), key), 200);
    assertThat(stored.get("answers").get(1).get("assistant_text").asString()).isEqualTo("Blue.");
    HttpResponse<String> raw = http.get("/api/v1/chat/comparisons/" + id(first), key);
    assertThat(raw.body()).contains("\"raw_response\":" + ChatApiTest.RAW);

    judge(first, "{\"kind\": \"single_selection\", \"selected\": \"" + alphaFirst + "\"}");
    judge(
        first,
        "{\"kind\": \"ranking\", \"ranking\": [\"" + betaFirst + "\", \"" + alphaFirst + "\"]}");
    judge(
        second,
        "{\"kind\": \"multi_selection\", \"selected\": [\"" + alpha + "\", \"" + beta + "\"]}");
    judge(
        second,
        "{\"kind\": \"ranking\", \"ranking\": [\""
            + alpha
            + "\", \""
            + beta
            + "\"],"
            + " \"feature\": \"overall\"}");

    HttpResponse<String> ndjson = http.get("/api/v1/chat/comparisons/export?format=ndjson", key);
    assertThat(ndjson.statusCode()).isEqualTo(200);
    assertThat(ndjson.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/x-ndjson");
    List<JsonNode> lines = ndjson.body().lines().map(HttpFixture::json).toList();
    assertThat(lines)
        .extracting(line -> line.at("/messageEvaluationTask/format").asString())
        .containsExactly(
            "message-single-selection",
            "message-ranking",
            "message-multi-selection",
            "message-ranking");
    assertThat(lines.get(0).get("dataRow").get("globalKey").asString()).isEqualTo("colours-1");
    assertThat(lines.get(0).at("/messageEvaluationTask/data/messageId").asString())
        .isEqualTo(alphaFirst);
    assertThat(lines.get(0).at("/messageEvaluationTask/data/parentMessageId").asString())
        .isEqualTo(first.get("prompt_message_id").asString());
    assertThat(
            lines
                .get(1)
                .at("/messageEvaluationTask/data/rankedMessages/0/modelConfigName")
                .asString())
        .isEqualTo("beta v1");
    assertThat(lines.get(3).get("name").asString()).isEqualTo("overall");

    JsonNode report = ok(http.get("/api/v1/chat/comparisons/export?format=report", key), 200);
    assertThat(report.get("comparisons").asInt()).isEqualTo(2);
    assertThat(report.get("judgments").asInt()).isEqualTo(4);
    JsonNode leader = report.get("models").get(0);
    assertThat(leader.get("model_name").asString()).isEqualTo("alpha");
    assertThat(leader.get("wins").asInt()).isEqualTo(3);
    assertThat(leader.get("appearances").asInt()).isEqualTo(4);
    assertThat(leader.get("win_rate").asDouble()).isCloseTo(0.75, within(1e-9));
    assertThat(leader.get("mean_rank").asDouble()).isCloseTo(1.5, within(1e-9));
    JsonNode failing = report.get("models").get(2);
    assertThat(failing.get("model_name").asString()).isEqualTo("gamma");
    assertThat(failing.get("win_rate").isNull()).isTrue();
    assertThat(failing.get("failed_answers").asInt()).isEqualTo(1);

    JsonNode page = ok(http.get("/api/v1/chat/comparisons?limit=1", key), 200);
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(id(first));
    assertThat(page.get("items").get(0).get("answers").get(0).has("raw_response")).isFalse();
    JsonNode next =
        ok(
            http.get(
                "/api/v1/chat/comparisons?limit=1&cursor=" + page.get("next_cursor").asString(),
                key),
            200);
    assertThat(next.get("items").get(0).get("id").asString()).isEqualTo(id(second));
  }

  @Test
  void refuses_bad_comparisons_and_judgments_with_their_paths() {
    HttpResponse<String> oneModel =
        http.postJson(
            "/api/v1/chat/comparisons",
            key,
            "{\"models\": [\"" + alpha + "\"], " + ChatApiTest.prompt("Hi").substring(1));
    HttpResponse<String> unknown =
        http.postJson(
            "/api/v1/chat/comparisons",
            key,
            "{\"models\": [\""
                + alpha
                + "\", \"mdl_01NOSUCH\", 7], "
                + ChatApiTest.prompt("Hi").substring(1));
    HttpResponse<String> badKind =
        http.postJson(
            "/api/v1/chat/comparisons/cmp_01NOSUCH/judgments",
            key,
            "{\"kind\": \"thumbs_up\", \"selected\": \"" + alpha + "\"}");

    assertError(oneModel, 400, "INVALID_INPUT");
    assertThat(oneModel.body()).contains("\"path\":\"models\"");
    assertError(unknown, 400, "INVALID_INPUT");
    assertThat(unknown.body()).contains("models[2]");
    assertError(badKind, 400, "INVALID_INPUT");
    assertError(http.get("/api/v1/chat/comparisons/cmp_01NOSUCH", key), 404, "NOT_FOUND");
    assertError(http.get("/api/v1/chat/comparisons/export?format=csv", key), 400, "INVALID_INPUT");
  }

  private static JsonNode compare(String globalKey, String... models) {
    StringBuilder body = new StringBuilder("{\"models\": [");
    for (int index = 0; index < models.length; index++) {
      body.append(index == 0 ? "" : ", ").append('"').append(models[index]).append('"');
    }
    body.append("], ");
    if (globalKey != null) {
      body.append("\"global_key\": \"").append(globalKey).append("\", ");
    }
    body.append(ChatApiTest.prompt("Name a colour.").substring(1));
    return ok(http.postJson("/api/v1/chat/comparisons", key, body.toString()), 201);
  }

  private static void judge(JsonNode comparison, String body) {
    ok(http.postJson("/api/v1/chat/comparisons/" + id(comparison) + "/judgments", key, body), 201);
  }

  private static String id(JsonNode comparison) {
    return comparison.get("id").asString();
  }

  private static String messageOf(JsonNode comparison, String model) {
    for (JsonNode answer : comparison.get("answers")) {
      if (answer.get("model_id").asString().equals(model)) {
        return answer.get("message_id").asString();
      }
    }
    throw new AssertionError("no answer of " + model);
  }

  private static JsonNode ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return HttpFixture.json(response);
  }
}
