package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.runs.RunId;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EndpointTaskCallerTest {
  private static final String RESPONSE =
      "{\"person\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.9]}, \"label\": \"tench\"}";

  @AutoClose private static final EndpointClient client = Runs.startedClient();

  private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
  private final RetryPolicy policy = RetryPolicy.standard(new SplittableRandom(7));
  private ResponsePostProcessor postProcessor = new KeepWholeResponse();

  @Test
  void sends_the_data_row_ontology_and_inference_params_as_the_wire_contract_says() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json(RESPONSE))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      FakeEndpoint.Recorded request = endpoint.requests().getFirst();
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/predict");
      assertThat(request.header("Content-Type")).startsWith("application/json");
      assertThat(request.header("Accept")).isEqualTo("application/json");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + Runs.SECRET);
      assertThat(request.header("Idempotency-Key")).isEqualTo("tsk_000001");
      assertThat(request.header("OpenFoundry-Attempt")).isEqualTo("1");
      assertThat(request.header("User-Agent"))
          .isEqualTo("OpenFoundry/" + EndpointClientConfig.productVersion())
          .doesNotContain("${");
      JsonNode body = Runs.JSON.readTree(request.body());
      assertThat(body.path("data_row"))
          .isEqualTo(
              Runs.JSON.readTree(
                  "{\"id\": \"dr_000001\", \"global_key\": \"street-0001.jpg\","
                      + " \"row_data\": \"https://images.example.com/street-0001.jpg\"}"));
      assertThat(body.path("ontology")).isEqualTo(Runs.manifest(endpoint.uri()).get("ontology"));
      assertThat(body.path("inference_params"))
          .isEqualTo(Runs.JSON.readTree("{\"confidence\": 0.25, \"max_new_tokens\": 1024}"));

      assertThat(outcome).isInstanceOf(AttemptOutcome.Succeeded.class);
      AttemptOutcome.Succeeded succeeded = (AttemptOutcome.Succeeded) outcome;
      assertThat(succeeded.status()).isEqualTo(200);
      assertThat(succeeded.rawResponse()).isEqualTo(RESPONSE);
      assertThat(succeeded.predictions()).isEqualTo(Runs.JSON.readTree(RESPONSE));
      assertThat(succeeded.report()).isEqualTo(Runs.JSON.createObjectNode());
    }
  }

  @Test
  void sends_each_run_its_own_ontology_and_params_when_one_caller_serves_runs_in_turn()
      throws InterruptedException {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json(RESPONSE))) {
      EndpointTaskCaller caller =
          new EndpointTaskCaller(client, postProcessor, policy, limiter, clock);
      RunDispatchContext first = Runs.context("run_01", Runs.manifest(endpoint.uri()));
      RunDispatchContext second =
          new RunDispatchContext(
              new RunId("run_02"),
              Runs.MODEL,
              first.modelVersionId(),
              first.manifest(),
              first.secret(),
              List.of("nothing-kept"),
              Map.of(),
              Runs.JSON.createObjectNode().put("confidence", 0.75));
      EndpointCall firstCall = EndpointCall.fromManifest(first.manifest());
      EndpointCall secondCall = EndpointCall.fromManifest(second.manifest());

      for (RunDispatchContext context : List.of(first, second, first)) {
        caller.attempt(task(1), context, context == first ? firstCall : secondCall);
      }

      List<JsonNode> bodies =
          endpoint.requests().stream().map(request -> Runs.JSON.readTree(request.body())).toList();
      assertThat(bodies)
          .extracting(body -> body.path("inference_params").path("confidence").asDouble())
          .containsExactly(0.25, 0.75, 0.25);
      int tools = first.manifest().path("ontology").path("tools").size();
      assertThat(tools).isPositive();
      assertThat(bodies)
          .extracting(body -> body.path("ontology").path("tools").size())
          .containsExactly(tools, 0, tools);
      assertThat(bodies.getFirst().path("data_row").path("id").asString()).isEqualTo("dr_000001");
    }
  }

  @Test
  void keeps_the_idempotency_key_and_counts_up_the_attempt_across_retries() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.status(503))) {
      for (int attempt = 1; attempt <= 3; attempt++) {
        attempt(endpoint.uri(), attempt, manifest -> {});
      }

      assertThat(endpoint.requests())
          .extracting(request -> request.header("Idempotency-Key"))
          .containsExactly("tsk_000001", "tsk_000001", "tsk_000001");
      assertThat(endpoint.requests())
          .extracting(request -> request.header("OpenFoundry-Attempt"))
          .containsExactly("1", "2", "3");
    }
  }

  @Test
  void keeps_the_connection_alive_between_calls() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json(RESPONSE))) {
      for (int call = 0; call < 3; call++) {
        attempt(endpoint.uri(), 1, manifest -> {});
      }

      assertThat(endpoint.requests())
          .extracting(FakeEndpoint.Recorded::clientPort)
          .containsOnly(endpoint.requests().getFirst().clientPort())
          .hasSize(3);
    }
  }

  @Test
  void sends_the_secret_in_the_configured_header_with_the_configured_scheme() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json(RESPONSE))) {
      attempt(
          endpoint.uri(),
          1,
          manifest -> manifest.putObject("auth").put("header", "X-Api-Key").put("scheme", "Token"));

      assertThat(endpoint.requests().getFirst().header("X-Api-Key"))
          .isEqualTo("Token " + Runs.SECRET);
      assertThat(endpoint.requests().getFirst().header("Authorization")).isNull();
    }
  }

  @Test
  void sends_no_credential_for_a_model_without_a_secret() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json(RESPONSE))) {
      RunDispatchContext context =
          Runs.context(
              "run_01", Runs.MODEL, Runs.manifest(endpoint.uri()), Optional.<SecretValue>empty());

      AttemptOutcome outcome = attempt(context, 1);

      assertThat(outcome).isInstanceOf(AttemptOutcome.Succeeded.class);
      assertThat(endpoint.requests().getFirst().header("Authorization")).isNull();
    }
  }

  @Test
  void never_lets_the_secret_into_an_outcome_even_when_the_endpoint_echoes_it() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request ->
                Reply.json(
                    500, "{\"error\": \"rejected " + request.header("Authorization") + "\"}"))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome.toString()).doesNotContain(Runs.SECRET);
      AttemptOutcome.RetryLater retry = (AttemptOutcome.RetryLater) outcome;
      assertThat(retry.bodyPrefix()).isEqualTo("{\"error\": \"rejected Bearer ****\"}");
      RunDispatchContext context = Runs.context("run_01", Runs.manifest(endpoint.uri()));
      EndpointRequest request =
          EndpointRequest.forTask(task(1), context, EndpointCall.fromManifest(context.manifest()));
      assertThat(request.toString()).doesNotContain(Runs.SECRET);
    }
  }

  @Test
  void masks_the_secret_in_the_raw_response_of_a_success_and_across_the_first_kib_cut() {
    String padding = "x".repeat(1008);
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request ->
                request.index() == 0
                    ? Reply.json(
                        "{\"label\": \"tench\", \"seen\": \""
                            + request.header("Authorization")
                            + "\"}")
                    : Reply.json(400, padding + request.header("Authorization")))) {
      AttemptOutcome.Succeeded succeeded =
          (AttemptOutcome.Succeeded) attempt(endpoint.uri(), 1, manifest -> {});
      AttemptOutcome failed = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(succeeded.rawResponse())
          .isEqualTo("{\"label\": \"tench\", \"seen\": \"Bearer ****\"}");
      assertThat(failed.toString()).doesNotContain(Runs.SECRET.substring(0, 4));
    }
  }

  @Test
  void retries_a_503_later_with_its_status_and_the_first_kib_of_its_body() {
    String body = "x".repeat(5000);
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(
            new Reply.Respond(503, Map.of("Content-Type", "text/plain"), body, Duration.ZERO))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.RetryLater.class);
      AttemptOutcome.RetryLater retry = (AttemptOutcome.RetryLater) outcome;
      assertThat(retry.errorCode()).isEqualTo("ENDPOINT_HTTP_503");
      assertThat(retry.httpStatus()).isEqualTo(OptionalInt.of(503));
      assertThat(retry.bodyPrefix()).isEqualTo("x".repeat(1024));
      assertThat(retry.availableAt()).isBetween(clock.instant(), clock.instant().plusSeconds(1));
    }
  }

  @Test
  void fails_a_400_at_once() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json(400, "{\"error\": \"bad image\"}"))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> {
                assertThat(failed.errorCode()).isEqualTo("ENDPOINT_HTTP_400");
                assertThat(failed.httpStatus()).isEqualTo(OptionalInt.of(400));
                assertThat(failed.bodyPrefix()).isEqualTo("{\"error\": \"bad image\"}");
              });
    }
  }

  @Test
  void fails_the_last_allowed_attempt_instead_of_retrying() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.status(503))) {
      AttemptOutcome outcome =
          attempt(endpoint.uri(), 3, manifest -> manifest.put("max_attempts", 3));

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      assertThat(((AttemptOutcome.Failed) outcome).errorCode()).isEqualTo("ENDPOINT_HTTP_503");
    }
  }

  @Test
  void counts_the_max_attempts_of_a_task_retried_by_hand_from_its_retry() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.status(503))) {
      ObjectNode manifest = Runs.manifest(endpoint.uri());
      manifest.put("max_attempts", 3);
      RunDispatchContext context = Runs.context("run_01", manifest);
      EndpointCall call = EndpointCall.fromManifest(context.manifest());
      EndpointTaskCaller caller =
          new EndpointTaskCaller(client, postProcessor, policy, limiter, clock);

      // Three attempts failed, then the run's failed tasks were retried: attempts 4 and 5 retry.
      assertRetry(caller.attempt(task(4, 3), context, call), "ENDPOINT_HTTP_503");
      assertRetry(caller.attempt(task(5, 3), context, call), "ENDPOINT_HTTP_503");
      AttemptOutcome last = caller.attempt(task(6, 3), context, call);

      assertThat(last).isInstanceOf(AttemptOutcome.Failed.class);
      assertThat(endpoint.requests())
          .extracting(request -> request.header("OpenFoundry-Attempt"))
          .containsExactly("4", "5", "6");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Test
  void does_not_follow_a_redirect() {
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> Reply.status(200))) {
      endpoint.script(
          request ->
              request.index() == 0
                  ? Reply.withHeader(
                      302, "Location", endpoint.uri().resolve("/elsewhere").toString())
                  : Reply.json(RESPONSE));

      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      assertThat(((AttemptOutcome.Failed) outcome).errorCode()).isEqualTo("ENDPOINT_HTTP_302");
      assertThat(endpoint.requests()).hasSize(1);
    }
  }

  @Test
  void retries_a_429_even_when_the_model_cannot_be_held_back() throws Exception {
    RateLimiter databaseAway =
        new RateLimiter() {
          @Override
          public List<Duration> reserve(
              ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
            return limiter.reserve(model, requestsPerSecond, wanted, horizon);
          }

          @Override
          public void release(ModelId model, int unused) {
            limiter.release(model, unused);
          }

          @Override
          public void holdFor(ModelId model, Duration delay) {
            throw new IllegalStateException("database error: the connection was closed");
          }
        };
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.withHeader(429, "Retry-After", "7"))) {
      RunDispatchContext context = Runs.context("run_01", Runs.manifest(endpoint.uri()));
      EndpointTaskCaller caller =
          new EndpointTaskCaller(client, postProcessor, policy, databaseAway, clock);

      AttemptOutcome outcome =
          caller.attempt(task(1), context, EndpointCall.fromManifest(context.manifest()));

      assertRetry(outcome, "ENDPOINT_HTTP_429");
      assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
          .isEqualTo(clock.instant().plusSeconds(7));
    }
  }

  @Test
  void honours_a_429_retry_after_in_seconds_and_holds_the_whole_model() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.withHeader(429, "Retry-After", "7"))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.RetryLater.class);
      assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
          .isEqualTo(clock.instant().plusSeconds(7));
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofSeconds(6))).isEmpty();
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofSeconds(8)))
          .containsExactly(Duration.ofSeconds(7));
    }
  }

  @Test
  void a_429_without_retry_after_holds_the_whole_model_for_the_backoffs_full_bound() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.status(429))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 3, manifest -> {});

      // The task itself waits a jittered share of 4 s; the model waits all of it.
      assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
          .isBetween(clock.instant(), clock.instant().plusSeconds(4));
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofMillis(3999))).isEmpty();
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofSeconds(5)))
          .containsExactly(Duration.ofSeconds(4));
    }
  }

  @Test
  void honours_a_429_retry_after_given_as_an_http_date() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(30).atZone(ZoneOffset.UTC));
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.withHeader(429, "Retry-After", date))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
          .isEqualTo(clock.instant().plusSeconds(30));
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofSeconds(31)))
          .containsExactly(Duration.ofSeconds(30));
    }
  }

  @Test
  void a_429_on_the_last_attempt_fails_the_task_but_still_holds_the_model() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.withHeader(429, "Retry-After", "12"))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 5, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      assertThat(limiter.reserve(Runs.MODEL, 100, 1, Duration.ofSeconds(13)))
          .containsExactly(Duration.ofSeconds(12));
    }
  }

  @Test
  void a_refused_connection_is_unreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    AttemptOutcome outcome =
        attempt(URI.create("http://127.0.0.1:" + port + "/predict"), 1, manifest -> {});

    assertRetry(outcome, "ENDPOINT_UNREACHABLE");
  }

  @Test
  void a_host_name_that_does_not_resolve_is_unreachable() {
    AttemptOutcome outcome =
        attempt(URI.create("http://no-such-host.invalid/predict"), 1, manifest -> {});

    assertRetry(outcome, "ENDPOINT_UNREACHABLE");
  }

  @Test
  void a_connection_that_is_never_accepted_hits_the_connect_timeout() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Backlog backlog = Backlog.fill(listener.getLocalPort())) {
      long started = System.nanoTime();

      AttemptOutcome outcome =
          attempt(
              URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/predict"),
              1,
              manifest -> manifest.putObject("timeouts").put("connect", "300ms"));

      assertRetry(outcome, "ENDPOINT_CONNECT_TIMEOUT");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(backlog.size()).isPositive();
    }
  }

  @Test
  void an_endpoint_silent_past_the_read_timeout_times_out() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json(RESPONSE).after(Duration.ofSeconds(5)))) {
      AttemptOutcome outcome =
          attempt(
              endpoint.uri(), 1, manifest -> manifest.putObject("timeouts").put("read", "300ms"));

      assertRetry(outcome, "ENDPOINT_TIMEOUT");
    }
  }

  @Test
  void a_body_that_never_ends_hits_the_total_timeout() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(new Reply.Endless(Duration.ofMillis(20)))) {
      long started = System.nanoTime();

      AttemptOutcome outcome =
          attempt(
              endpoint.uri(),
              1,
              manifest -> manifest.putObject("timeouts").put("read", "1s").put("total", "700ms"));

      assertRetry(outcome, "ENDPOINT_TOTAL_TIMEOUT");
      assertThat(((AttemptOutcome.RetryLater) outcome).bodyPrefix())
          .startsWith("{\"summary\": \"a");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofMillis(650), Duration.ofSeconds(5));
    }
  }

  @Test
  void a_slow_drip_within_the_timeouts_still_succeeds() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(new Reply.Drip(RESPONSE, 8, Duration.ofMillis(5)))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.Succeeded.class);
    }
  }

  @Test
  void a_dropped_connection_is_a_reset() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(new Reply.Drop(Duration.ZERO))) {
      assertRetry(attempt(endpoint.uri(), 1, manifest -> {}), "ENDPOINT_CONNECTION_RESET");
    }
  }

  @Test
  void a_body_cut_short_of_its_content_length_is_a_reset() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(new Reply.Truncated("{\"person\": {\"boxes\"", 200))) {
      assertRetry(attempt(endpoint.uri(), 1, manifest -> {}), "ENDPOINT_CONNECTION_RESET");
    }
  }

  @Test
  void an_answer_that_is_not_http_is_a_protocol_error() throws IOException {
    try (NotHttp server = NotHttp.start()) {
      AttemptOutcome outcome = attempt(server.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      assertThat(((AttemptOutcome.Failed) outcome).errorCode())
          .isEqualTo("ENDPOINT_PROTOCOL_ERROR");
    }
  }

  @Test
  void aborts_a_100_mib_body_at_the_size_cap_without_reading_it_all() {
    long hundredMib = 100L * 1024 * 1024;
    try (FakeEndpoint endpoint = FakeEndpoint.answering(new Reply.Huge(hundredMib, false))) {
      long started = System.nanoTime();

      AttemptOutcome outcome =
          attempt(endpoint.uri(), 1, manifest -> manifest.put("max_response_bytes", 1024 * 1024));

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
      assertThat(failed.errorCode()).isEqualTo("RESPONSE_TOO_LARGE");
      assertThat(failed.httpStatus()).isEqualTo(OptionalInt.of(200));
      assertThat(failed.bodyPrefix()).hasSize(1024).isBlank();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(endpoint.bytesSent()).isLessThan(hundredMib / 4);
    }
  }

  @Test
  void refuses_a_body_whose_content_length_is_over_the_cap_before_reading_it() {
    long hundredMib = 100L * 1024 * 1024;
    try (FakeEndpoint endpoint = FakeEndpoint.answering(new Reply.Huge(hundredMib, true))) {
      AttemptOutcome outcome =
          attempt(endpoint.uri(), 1, manifest -> manifest.put("max_response_bytes", 1024 * 1024));

      assertThat(((AttemptOutcome.Failed) outcome).errorCode()).isEqualTo("RESPONSE_TOO_LARGE");
      assertThat(((AttemptOutcome.Failed) outcome).message()).contains("104857600 bytes");
      assertThat(endpoint.bytesSent()).isLessThan(hundredMib / 4);
    }
  }

  @Test
  void a_truncated_json_body_is_not_json() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json("{\"person\": {\"boxes\": [[0, 0"))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
      AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
      assertThat(failed.errorCode()).isEqualTo("RESPONSE_NOT_JSON");
      assertThat(failed.bodyPrefix()).isEqualTo("{\"person\": {\"boxes\": [[0, 0");
      assertThat(failed.message()).startsWith("the response is not JSON: ");
    }
  }

  @Test
  void a_response_nested_deeper_than_the_limit_is_too_large_and_names_the_limit() {
    String deep = "[".repeat(UntrustedJson.MAX_DEPTH) + "]".repeat(UntrustedJson.MAX_DEPTH);
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json("{\"person\": " + deep + "}"))) {
      AttemptOutcome.Failed failed =
          (AttemptOutcome.Failed) attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(failed.errorCode()).isEqualTo("RESPONSE_TOO_LARGE");
      assertThat(failed.message())
          .isEqualTo(
              "the response is too large to read: values are nested more than 64 levels deep");
    }
  }

  @Test
  void json_followed_by_garbage_is_not_json() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json("{\"label\": \"tench\"} trailing"))) {
      assertThat(((AttemptOutcome.Failed) attempt(endpoint.uri(), 1, manifest -> {})).errorCode())
          .isEqualTo("RESPONSE_NOT_JSON");
    }
  }

  @Test
  void a_json_array_is_not_an_object() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json("[1, 2, 3]"))) {
      AttemptOutcome.Failed failed =
          (AttemptOutcome.Failed) attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(failed.errorCode()).isEqualTo("RESPONSE_NOT_OBJECT");
      assertThat(failed.message())
          .isEqualTo("expected a JSON object keyed by feature names, got array");
    }
  }

  @Test
  void a_response_with_no_usable_feature_is_an_invalid_prediction() {
    ObjectNode report = Runs.JSON.createObjectNode().put("person", "expected boxes, got a string");
    postProcessor =
        (response, context, row) ->
            new ResponsePostProcessor.Processed(Runs.JSON.createObjectNode(), report, false);
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json("{\"person\": \"nobody\"}"))) {
      AttemptOutcome.Failed failed =
          (AttemptOutcome.Failed) attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(failed.errorCode()).isEqualTo("PREDICTION_INVALID");
      assertThat(failed.message()).contains("expected boxes, got a string");
      assertThat(failed.bodyPrefix()).isEqualTo("{\"person\": \"nobody\"}");
    }
  }

  @Test
  void a_response_that_partly_parses_keeps_its_valid_predictions_and_the_report() {
    ObjectNode kept = Runs.JSON.createObjectNode().put("label", "tench");
    ObjectNode report = Runs.JSON.createObjectNode().put("person", "expected boxes, got a string");
    postProcessor =
        (response, context, row) -> new ResponsePostProcessor.Processed(kept, report, true);
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json("{\"person\": \"nobody\", \"label\": \"tench\"}"))) {
      AttemptOutcome.Succeeded succeeded =
          (AttemptOutcome.Succeeded) attempt(endpoint.uri(), 1, manifest -> {});

      assertThat(succeeded.predictions()).isEqualTo(kept);
      assertThat(succeeded.report()).isEqualTo(report);
    }
  }

  private AttemptOutcome attempt(URI endpoint, int attempt, Consumer<ObjectNode> manifestChanges) {
    ObjectNode manifest = Runs.manifest(endpoint);
    manifestChanges.accept(manifest);
    return attempt(Runs.context("run_01", manifest), attempt);
  }

  private AttemptOutcome attempt(RunDispatchContext context, int attempt) {
    EndpointTaskCaller caller =
        new EndpointTaskCaller(client, postProcessor, policy, limiter, clock);
    try {
      return caller.attempt(task(attempt), context, EndpointCall.fromManifest(context.manifest()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private LeasedTask task(int attempt) {
    return task(attempt, 0);
  }

  private LeasedTask task(int attempt, int attemptsBeforeRetry) {
    return Runs.task(
        attempt,
        attemptsBeforeRetry,
        new Lease("node-a", "token-1", clock.instant().plusSeconds(60)));
  }

  private static void assertRetry(AttemptOutcome outcome, String code) {
    assertThat(outcome)
        .isInstanceOfSatisfying(
            AttemptOutcome.RetryLater.class,
            retry -> {
              assertThat(retry.errorCode()).isEqualTo(code);
              assertThat(retry.message()).isNotBlank().doesNotContain(Runs.SECRET);
            });
  }

  /** Connections parked in a listener's full accept queue, so that the next connect hangs. */
  private static final class Backlog implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    static Backlog fill(int port) throws IOException {
      Backlog backlog = new Backlog();
      for (int attempt = 0; attempt < 64; attempt++) {
        Socket socket = new Socket();
        try {
          socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
          backlog.sockets.add(socket);
        } catch (SocketTimeoutException full) {
          socket.close();
          return backlog;
        }
      }
      backlog.close();
      throw new IllegalStateException("the accept queue never filled up");
    }

    int size() {
      return sockets.size();
    }

    @Override
    public void close() throws IOException {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** A server on a loopback port that answers every connection with a line that is not HTTP. */
  private static final class NotHttp implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;

    private NotHttp(ServerSocket listener) {
      this.listener = listener;
      this.acceptor = Thread.ofVirtual().start(this::serve);
    }

    static NotHttp start() throws IOException {
      return new NotHttp(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/predict");
    }

    private void serve() {
      while (!listener.isClosed()) {
        try (Socket socket = listener.accept()) {
          InputStream in = socket.getInputStream();
          byte[] buffer = new byte[8192];
          int read = in.read(buffer);
          if (read > 0) {
            OutputStream out = socket.getOutputStream();
            out.write(
                "HELLO this line is not http at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        } catch (IOException closed) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      acceptor.interrupt();
    }
  }
}
