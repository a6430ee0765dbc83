package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Requests whose headers or timing are unusual, answered as bad input or as what they did. */
class ApiInputTest {
  private static AppFixture server;

  @BeforeAll
  static void start() {
    server = new AppFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_charset_the_server_cannot_read_is_415_naming_it() {
    for (String route : List.of("/api/v1/datasets", "/api/v1/runs", "/api/v1/models")) {
      HttpResponse<String> response =
          server.http.post(
              route, server.memberKey, "application/json; charset=bogus", "{\"name\": \"x\"}");

      assertThat(response.statusCode()).as(route).isEqualTo(415);
      assertThat(HttpFixture.json(response).get("error").get("message").asString())
          .as(route)
          .contains("\"bogus\"");
    }
    HttpResponse<String> yaml =
        server.http.post(
            "/api/v1/models", server.memberKey, "application/yaml; charset=bogus", "name: a\n");
    assertThat(yaml.statusCode()).isEqualTo(415);
  }

  @Test
  void each_of_many_concurrent_puts_answers_with_the_version_it_made() throws Exception {
    String model =
        Api.registerYaml(
                server.http,
                server.memberKey,
                "name: racer\ninference_endpoint: https://203.0.113.10/v0\n")
            .get("id")
            .asString();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int n = 1; n <= 80; n++) {
        String endpoint = "https://203.0.113.10/v" + n;
        answers.add(pool.submit(() -> putEndpoint(model, endpoint)));
      }
      List<String> mismatches = new ArrayList<>();
      for (Future<String> answer : answers) {
        if (!answer.get().isEmpty()) {
          mismatches.add(answer.get());
        }
      }
      assertThat(mismatches).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** PUTs a version calling {@code endpoint}; empty when the answer shows that version. */
  private String putEndpoint(String model, String endpoint) {
    JsonNode answer =
        Api.ok(
            server.http.send(
                server
                    .http
                    .request("/api/v1/models/" + model, server.memberKey)
                    .header("Content-Type", "application/yaml")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "name: racer\ninference_endpoint: " + endpoint + "\n"))),
            200);
    String shown = answer.get("manifest").get("inference_endpoint").asString();
    return shown.equals(endpoint) ? "" : "sent " + endpoint + ", answered " + shown;
  }

  @Test
  void half_a_character_in_a_json_body_is_400_at_its_path_not_stored_as_a_question_mark() {
    HttpResponse<String> response =
        server.http.postJson(
            "/api/v1/datasets",
            server.memberKey,
            "{\"name\": \"cam\\ud800era\", \"description\": \"\\ud83d\\ude00 fine\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode details = HttpFixture.json(response).get("error").get("details");
    assertThat(details).hasSize(1);
    assertThat(details.get(0).get("path").asString()).isEqualTo("name");
    assertThat(details.get(0).get("message").asString()).contains("U+D800");
    assertThat(HttpFixture.json(server.http.get("/api/v1/datasets", server.memberKey)).toString())
        .doesNotContain("cam?era");
  }

  @Test
  void a_bad_cursor_is_400_naming_the_cursor() {
    HttpResponse<String> response =
        server.http.get("/api/v1/datasets?cursor=!!!", server.memberKey);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode details = HttpFixture.json(response).get("error").get("details");
    assertThat(details).hasSize(1);
    assertThat(details.get(0).get("path").asString()).isEqualTo("cursor");
  }
}
