package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfoundry.server.HttpFixture.json;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;

/**
 * An export that fails part of the way (here a stored result that no longer reads) has already sent
 * its 200 and part of the document: the client must see a broken transfer, never a short export
 * that ends like a whole one.
 */
class ExportFailureTest {
  private final FakeEndpoint endpoint =
      FakeEndpoint.start(
          request ->
              FakeEndpoint.Reply.json("{\"car\": {\"boxes\": [[1, 2, 3, 4]], \"scores\": [0.9]}}"));
  private final AppFixture server =
      new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));

  @AfterEach
  void stop() {
    server.close();
    endpoint.close();
  }

  @Test
  void an_export_that_fails_before_anything_went_out_answers_with_the_error() throws Exception {
    String run = finishedRun(3);
    corruptStoredPredictions(run, 1);

    for (String format : new String[] {"ndjson", "coco"}) {
      HttpResponse<String> response =
          server.http.get(
              "/api/v1/runs/" + run + "/predictions?format=" + format, server.memberKey);

      assertThat(response.statusCode()).as(format).isEqualTo(500);
      assertThat(json(response).get("error").get("message").asString())
          .as(format)
          .contains("is not JSON");
    }
  }

  @Test
  void an_export_that_fails_after_part_of_it_went_out_breaks_off_instead_of_ending_cleanly()
      throws Exception {
    // Far more than the buffers between the exporter and the client hold.
    String run = finishedRun(600);
    corruptStoredPredictions(run, 550);

    for (String format : new String[] {"ndjson", "coco"}) {
      HttpClient client = HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  client.send(
                      server
                          .http
                          .request(
                              "/api/v1/runs/" + run + "/predictions?format=" + format,
                              server.memberKey)
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .as(format)
          .isInstanceOf(IOException.class);
    }
  }

  private String finishedRun(int rows) throws InterruptedException {
    String model =
        json(server.http.post(
                "/api/v1/models",
                server.memberKey,
                "application/yaml",
                """
                name: Car finder
                inference_endpoint: %s
                ontology:
                  media_type: IMAGE
                  tools:
                    - {name: car, tool: rectangle}
                """
                    .formatted(endpoint.uri())))
            .get("id")
            .asString();
    String dataset =
        json(server.http.postJson("/api/v1/datasets", server.memberKey, "{\"name\": \"cars\"}"))
            .get("id")
            .asString();
    StringBuilder lines = new StringBuilder();
    for (int row = 1; row <= rows; row++) {
      lines.append(
          "{\"row_data\": \"https://img.example.com/%d.jpg\", \"global_key\": \"car-%d\", \"media_type\": \"image\"}\n"
              .formatted(row, row));
    }
    server.http.post(
        "/api/v1/datasets/" + dataset + "/data-rows",
        server.memberKey,
        "application/x-ndjson",
        lines.toString());
    String run =
        json(server.http.postJson(
                "/api/v1/runs",
                server.memberKey,
                "{\"model_id\": \"%s\", \"dataset_id\": \"%s\"}".formatted(model, dataset)))
            .get("id")
            .asString();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!json(server.http.get("/api/v1/runs/" + run, server.memberKey))
        .get("state")
        .asString()
        .equals("SUCCEEDED")) {
      assertThat(System.nanoTime()).as("the run to succeed within 30 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
    return run;
  }

  /** Makes the stored predictions of the run's task at {@code index} (in task order) unreadable. */
  private void corruptStoredPredictions(String run, int index) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + server.dataDir.resolve("foundry.db"));
        PreparedStatement update =
            connection.prepareStatement(
                """
                UPDATE task_results SET predictions = '{"car": '
                WHERE task_id = (SELECT id FROM tasks WHERE run_id = ? ORDER BY seq LIMIT 1 OFFSET ?)
                """)) {
      update.setString(1, run);
      update.setInt(2, index);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
