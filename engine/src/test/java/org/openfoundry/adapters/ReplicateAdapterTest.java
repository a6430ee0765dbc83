package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.ontology.Classification;
import org.openfoundry.problems.ErrorCode;

class ReplicateAdapterTest {
  private final SteppedClock clock = new SteppedClock();
  private final AdapterRegistry registry =
      new AdapterRegistry(
          new AdapterEnvironment(clock, clock.sleeper(), Fixtures.fetcher(Map.of()), 1 << 20));

  /**
   * A prediction that is processing for the first {@code runningPolls} polls, then {@code last};
   * with {@code finishOnCreate} it is done when created, as when the server waited.
   */
  private static Function<RecordedRequest, FakeEndpoint.Answer> prediction(
      FakeEndpoint[] self, int runningPolls, String last, String output, boolean finishOnCreate) {
    AtomicInteger polls = new AtomicInteger();
    return request -> {
      String base = self[0].uri("/v1/predictions/ufawqhfynnddngldkgtslldrkq").toString();
      String status;
      if (request.method().equals("POST") && request.path().endsWith("/cancel")) {
        status = "canceled";
      } else if (request.method().equals("POST")) {
        status = finishOnCreate ? last : "starting";
      } else {
        status = polls.incrementAndGet() > runningPolls ? last : "processing";
      }
      boolean done = status.equals("succeeded");
      return FakeEndpoint.Answer.ok(
          """
          {"id": "ufawqhfynnddngldkgtslldrkq", "model": "meta/meta-llama-3-8b-instruct", "version": "dp-4d2a",
           "status": "%s", "input": {}, "output": %s, "error": %s, "logs": "",
           "metrics": %s,
           "urls": {"get": "%s", "cancel": "%s/cancel", "stream": "%s/stream"}}
          """
              .formatted(
                  status,
                  done ? output : "null",
                  status.equals("failed") ? "\"CUDA out of memory\"" : "null",
                  done
                      ? "{\"predict_time\": 1.2, \"input_token_count\": 17, \"output_token_count\": 4}"
                      : "{}",
                  base,
                  base,
                  base));
    };
  }

  @Test
  void creates_a_prediction_then_polls_until_it_succeeds() {
    FakeEndpoint[] self = new FakeEndpoint[1];
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(prediction(self, 3, "succeeded", "[\"Hel\", \"lo\", \"!\"]", false))) {
      self[0] = endpoint;
      Adapter adapter =
          registry.create(
              "replicate",
              Fixtures.config(
                  endpoint.uri("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                  "{\"poll_interval_seconds\": 2, \"input\": {\"top_k\": 50}}"));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(
                  Message.text(Role.SYSTEM, "Be kind."), Message.text(Role.USER, "Say hello")),
              Fixtures.params("{\"max_new_tokens\": 16}"),
              new HttpClientTransport());

      List<RecordedRequest> requests = endpoint.requests();
      assertThat(requests)
          .extracting(RecordedRequest::method)
          .containsExactly("POST", "GET", "GET", "GET", "GET");
      var input = requests.getFirst().body().path("input");
      assertThat(input.path("prompt").stringValue()).isEqualTo("Say hello");
      assertThat(input.path("system_prompt").stringValue()).isEqualTo("Be kind.");
      assertThat(input.path("max_new_tokens").asInt()).isEqualTo(16);
      assertThat(input.path("top_k").asInt()).isEqualTo(50);
      assertThat(requests.getFirst().body().has("version")).isFalse();
      assertThat(clock.sleeps()).containsOnly(Duration.ofSeconds(2)).hasSize(4);
      assertThat(result.assistantText()).contains("Hello!");
      assertThat(result.usage()).contains(new TokenUsage(17, 4, 21));
      assertThat(result.exchanges()).isEqualTo(5);
      assertThat(result.rawResponse().path("status").stringValue()).isEqualTo("succeeded");
    }
  }

  @Test
  void waits_on_the_server_with_prefer_wait_and_reads_a_row_answer() {
    FakeEndpoint[] self = new FakeEndpoint[1];
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(prediction(self, 0, "succeeded", "\"A tench.\"", true))) {
      self[0] = endpoint;
      Adapter adapter =
          registry.create(
              "replicate",
              Fixtures.config(
                  endpoint.uri("/v1/predictions"),
                  "{\"version\": \"5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa\","
                      + " \"prefer_wait_seconds\": 60}"));

      AdapterResult result =
          adapter.run(
              Fixtures.imageRow(
                  "https://files.example.com/fish.jpg",
                  Fixtures.classifications(Classification.text("caption")),
                  "{\"prompt\": \"Caption this\"}"),
              new HttpClientTransport());

      RecordedRequest create = endpoint.only();
      assertThat(create.header("Prefer")).contains("wait=60");
      assertThat(create.body().path("version").stringValue()).startsWith("5c7d5dc6");
      assertThat(create.body().at("/input/image").stringValue())
          .isEqualTo("https://files.example.com/fish.jpg");
      assertThat(create.body().at("/input/prompt").stringValue()).isEqualTo("Caption this");
      assertThat(result.response().orElseThrow())
          .isEqualTo(Fixtures.json("{\"caption\": \"A tench.\"}"));
      assertThat(clock.sleeps()).isEmpty();
    }
  }

  @Test
  void reports_a_failed_prediction_with_its_error() {
    FakeEndpoint[] self = new FakeEndpoint[1];
    try (FakeEndpoint endpoint = FakeEndpoint.start(prediction(self, 1, "failed", "null", false))) {
      self[0] = endpoint;
      Adapter adapter =
          registry.create(
              "replicate", Fixtures.config(endpoint.uri("/v1/models/a/b/predictions"), "{}"));

      assertThatThrownBy(
              () ->
                  adapter.runDirect(
                      Conversation.of(Message.text(Role.USER, "hi")),
                      Fixtures.params("{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_ENDPOINT_FAILED);
                assertThat(error.getMessage())
                    .isEqualTo("prediction ufawqhfynnddngldkgtslldrkq failed: CUDA out of memory");
                assertThat(error.exchanges()).isEqualTo(3);
              });
    }
  }

  @Test
  void cancels_a_prediction_still_running_at_the_total_timeout() {
    FakeEndpoint[] self = new FakeEndpoint[1];
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(prediction(self, 1000, "succeeded", "\"late\"", false))) {
      self[0] = endpoint;
      Adapter adapter =
          registry.create(
              "replicate",
              Fixtures.config(
                  endpoint.uri("/v1/models/a/b/predictions"),
                  "{\"poll_interval_seconds\": 4, \"total_timeout_seconds\": 10}"));

      assertThatThrownBy(
              () ->
                  adapter.runDirect(
                      Conversation.of(Message.text(Role.USER, "hi")),
                      Fixtures.params("{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_TIMEOUT);
                assertThat(error.getMessage())
                    .contains("still processing after 10 s")
                    .contains("cancelled");
              });
      assertThat(clock.sleeps())
          .containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(2));
      RecordedRequest last = endpoint.requests().getLast();
      assertThat(last.method()).isEqualTo("POST");
      assertThat(last.path()).endsWith("/cancel");
    }
  }

  @Test
  void requires_a_version_on_the_generic_predictions_path() {
    assertThat(
            registry.check(
                "replicate",
                Fixtures.config(URI.create("https://api.replicate.com/v1/predictions"), "{}")))
        .extracting(org.openfoundry.problems.Problem::path)
        .containsExactly("adapter_options.version");
  }
}
