package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import tools.jackson.databind.JsonNode;

/** A node of the role {@code api} serves chat through the run engine and claims no task. */
class ApiRoleTest {
  @Test
  void chats_while_the_runs_it_starts_wait_for_a_worker() {
    try (FakeEndpoint endpoint =
            FakeEndpoint.answering(FakeEndpoint.Reply.json("{\"text\": \"Still here.\"}"));
        AppFixture server =
            new AppFixture(
                Map.of(
                    "FOUNDRY_SERVER_ROLE",
                    "api",
                    "FOUNDRY_OUTBOUND_ALLOWED_NETWORKS",
                    "127.0.0.0/8"))) {
      chatWithoutClaiming(endpoint, server);
    }
  }

  private static void chatWithoutClaiming(FakeEndpoint endpoint, AppFixture server) {
    HttpFixture http = server.http;
    String key = server.memberKey;
    String detector =
        Api.registerYaml(http, key, Api.manifest("queued detector", endpoint.uri().toString()))
            .get("id")
            .asString();
    String dataset = Api.dataset(http, key, "rows for a worker");
    Api.importRows(
        http,
        key,
        dataset,
        "{\"row_data\": \"https://img.example.com/1.jpg\", \"media_type\": \"image\"}\n");
    String run = Api.run(http, key, detector, dataset);
    String chatModel =
        Api.registerYaml(
                http,
                key,
                "name: api chat\ninference_endpoint: %s\nallowed_asset_types: [conversational]\n"
                    .formatted(endpoint.uri()))
            .get("id")
            .asString();

    JsonNode answer =
        ok(
            http.postJson(
                "/api/v1/models/" + chatModel + "/chat",
                key,
                "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Anyone?\"}]}]}"),
            200);

    assertThat(answer.get("assistant_text").asString()).isEqualTo("Still here.");
    assertThat(server.app.dispatcher()).isEmpty();
    assertThat(endpoint.requests()).hasSize(1);
    assertThat(HttpFixture.json(endpoint.requests().getFirst().body()).has("data_row")).isFalse();
    assertThat(ok(http.get("/api/v1/runs/" + run, key), 200).get("state").asString())
        .isEqualTo("QUEUED");
  }
}
