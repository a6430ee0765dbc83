package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.HttpFixture.json;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;

class RunEventsTest {
  private final CountDownLatch held = new CountDownLatch(1);
  private final FakeEndpoint endpoint =
      FakeEndpoint.start(
          request -> new FakeEndpoint.Reply.Hold(held, FakeEndpoint.Reply.json("{}")));
  private final AppFixture server =
      new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));

  @AfterEach
  void stop() {
    held.countDown();
    server.close();
    endpoint.close();
  }

  @Test
  void a_progress_event_reaches_the_client_while_the_run_is_still_going() throws Exception {
    String model =
        json(server.http.post(
                "/api/v1/models",
                server.memberKey,
                "application/yaml",
                "name: Held model\ninference_endpoint: " + endpoint.uri() + "\n"))
            .get("id")
            .asString();
    String dataset =
        json(server.http.postJson("/api/v1/datasets", server.memberKey, "{\"name\": \"held\"}"))
            .get("id")
            .asString();
    server.http.post(
        "/api/v1/datasets/" + dataset + "/data-rows",
        server.memberKey,
        "application/x-ndjson",
        "{\"row_data\": \"https://img.example.com/a.jpg\", \"global_key\": \"a\","
            + " \"media_type\": \"image\"}\n");
    String run =
        json(server.http.postJson(
                "/api/v1/runs",
                server.memberKey,
                "{\"model_id\": \"%s\", \"dataset_id\": \"%s\"}".formatted(model, dataset)))
            .get("id")
            .asString();

    HttpClient client = HttpClient.newHttpClient();
    // Bounded: a server that holds the stream back until the run ends would never answer here.
    HttpResponse<InputStream> stream =
        client
            .sendAsync(
                server
                    .http
                    .request("/api/v1/runs/" + run + "/events", server.memberKey)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readLine(lines));

    // The model's answer is still held back, so the run cannot have finished: the event must come
    // while it is going, not when the stream closes.
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("event: progress");
    assertThat(held.getCount()).isEqualTo(1);
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    stream.body().close();
  }

  private static String readLine(BufferedReader lines) {
    try {
      return lines.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
