package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.openfoundry.adapters.AdapterEnvironment;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.runs.TaskId;
import tools.jackson.databind.node.ObjectNode;

class AdapterTaskCallerTest {
  private static final String COMPLETION =
      """
      {"id": "chatcmpl-2", "choices": [{"index": 0,
        "message": {"role": "assistant", "content": %s}}]}
      """;

  @AutoClose private static final EndpointClient client = Runs.startedClient();

  private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
  private final List<LeasedTask> wireCalls = new CopyOnWriteArrayList<>();
  private final TaskCaller wireContract =
      (task, context, call) -> {
        wireCalls.add(task);
        ObjectNode empty = Runs.JSON.createObjectNode();
        return new AttemptOutcome.Succeeded(201, Duration.ZERO, "{}", empty, empty);
      };
  private ResponsePostProcessor postProcessor = new KeepWholeResponse();

  private AdapterTaskCaller caller() {
    AdapterRegistry registry =
        new AdapterRegistry(
            new AdapterEnvironment(
                clock,
                duration -> clock.advance(duration),
                (url, maxBytes) -> {
                  throw new FoundryException(ErrorCode.UNAVAILABLE, "no images in this test");
                },
                1 << 20));
    return new AdapterTaskCaller(
        registry,
        client,
        wireContract,
        postProcessor,
        RetryPolicy.standard(new SplittableRandom(3)),
        limiter,
        clock);
  }

  private static ObjectNode openAi(URI endpoint, Consumer<ObjectNode> change) {
    ObjectNode manifest = Runs.manifest(endpoint);
    manifest.put("adapter", "openai");
    manifest.putObject("adapter_options").put("model", "vision-test").put("answer", "json");
    change.accept(manifest);
    return manifest;
  }

  private AttemptOutcome attempt(ObjectNode manifest, int attempt) throws InterruptedException {
    RunDispatchContext context = Runs.context("run_01", manifest);
    return caller().attempt(task(attempt), context, EndpointCall.fromManifest(context.manifest()));
  }

  private LeasedTask task(int attempt) {
    return Runs.task(attempt, 0, new Lease("node-a", "token-1", clock.instant().plusSeconds(60)));
  }

  private static Reply.Respond completion(String content) {
    return Reply.json(COMPLETION.formatted(Runs.JSON.writeValueAsString(content)));
  }

  @Test
  void sends_our_own_contract_to_the_wire_contract_caller() throws InterruptedException {
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    manifest.put("adapter", "openfoundry");

    AttemptOutcome outcome = attempt(manifest, 1);

    assertThat(wireCalls).extracting(LeasedTask::id).containsExactly(new TaskId("tsk_000001"));
    assertThat(outcome.httpStatus()).hasValue(201);
  }

  @Test
  void maps_the_vendor_answer_to_our_response_and_post_processes_it() throws InterruptedException {
    try (FakeEndpoint vendor = FakeEndpoint.answering(completion("{\"label\": \"tench\"}"))) {
      AttemptOutcome outcome = attempt(openAi(vendor.uri(), manifest -> {}), 2);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.Succeeded.class,
              succeeded -> {
                assertThat(succeeded.status()).isEqualTo(200);
                assertThat(succeeded.predictions())
                    .isEqualTo(Runs.JSON.readTree("{\"label\": \"tench\"}"));
                assertThat(succeeded.rawResponse()).contains("chatcmpl-2");
              });
      FakeEndpoint.Recorded request = vendor.requests().getFirst();
      assertThat(request.header("Idempotency-Key")).isEqualTo("tsk_000001");
      assertThat(request.header("OpenFoundry-Attempt")).isEqualTo("2");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + Runs.SECRET);
      assertThat(wireCalls).isEmpty();
    }
  }

  @Test
  void fails_an_answer_of_which_nothing_can_be_used() throws InterruptedException {
    postProcessor =
        (response, context, row) ->
            new ResponsePostProcessor.Processed(
                response, Runs.JSON.createObjectNode().put("unknown", "label"), false);
    try (FakeEndpoint vendor = FakeEndpoint.answering(completion("{\"colour\": \"red\"}"))) {
      AttemptOutcome outcome = attempt(openAi(vendor.uri(), manifest -> {}), 1);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> {
                assertThat(failed.errorCode()).isEqualTo("PREDICTION_INVALID");
                assertThat(failed.message()).contains("unknown");
              });
    }
  }

  @Test
  void retries_a_vendor_429_after_its_retry_after_and_holds_the_whole_model_back()
      throws InterruptedException {
    try (FakeEndpoint vendor =
        FakeEndpoint.answering(
            new Reply.Respond(
                429,
                Map.of("Retry-After", "30", "Content-Type", "application/json"),
                "{\"error\": {\"message\": \"slow down, " + Runs.SECRET + "\"}}",
                Duration.ZERO))) {
      AttemptOutcome outcome = attempt(openAi(vendor.uri(), manifest -> {}), 1);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.RetryLater.class,
              retry -> {
                assertThat(retry.errorCode()).isEqualTo("ENDPOINT_HTTP_429");
                assertThat(retry.availableAt()).isEqualTo(clock.instant().plusSeconds(30));
                assertThat(retry.message()).contains("slow down").doesNotContain(Runs.SECRET);
                assertThat(retry.bodyPrefix()).doesNotContain(Runs.SECRET);
              });
      assertThat(limiter.reserve(Runs.MODEL, 5, 1, Duration.ofSeconds(10))).isEmpty();
      assertThat(limiter.reserve(Runs.MODEL, 5, 1, Duration.ofSeconds(31))).isNotEmpty();
    }
  }

  @Test
  void fails_for_good_on_a_client_error_and_on_the_last_attempt() throws InterruptedException {
    try (FakeEndpoint vendor =
        FakeEndpoint.start(FakeEndpoint.sequence(Reply.status(400), Reply.status(503)))) {
      AttemptOutcome badRequest = attempt(openAi(vendor.uri(), manifest -> {}), 1);
      AttemptOutcome lastTry =
          attempt(openAi(vendor.uri(), manifest -> manifest.put("max_attempts", 2)), 2);

      assertThat(badRequest)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> {
                assertThat(failed.errorCode()).isEqualTo("ENDPOINT_HTTP_400");
                assertThat(failed.httpStatus()).hasValue(400);
                assertThat(failed.bodyPrefix()).isEqualTo("status 400");
              });
      assertThat(lastTry)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> assertThat(failed.errorCode()).isEqualTo("ENDPOINT_HTTP_503"));
    }
  }

  @Test
  void retries_an_exchange_that_broke_off() throws InterruptedException {
    try (FakeEndpoint vendor = FakeEndpoint.answering(new Reply.Drop(Duration.ZERO))) {
      AttemptOutcome outcome = attempt(openAi(vendor.uri(), manifest -> {}), 1);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.RetryLater.class,
              retry -> assertThat(retry.errorCode()).isEqualTo("ENDPOINT_CONNECTION_RESET"));
    }
  }

  @Test
  void fails_an_answer_the_adapter_cannot_read_with_its_path() throws InterruptedException {
    try (FakeEndpoint vendor = FakeEndpoint.answering(completion("no JSON here"))) {
      AttemptOutcome outcome = attempt(openAi(vendor.uri(), manifest -> {}), 1);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> {
                assertThat(failed.errorCode()).isEqualTo("ADAPTER_RESPONSE_INVALID");
                assertThat(failed.httpStatus()).hasValue(200);
                assertThat(failed.message()).contains("choices[0].message.content");
              });
    }
  }

  @Test
  void fails_without_a_call_when_the_adapter_options_are_not_usable() throws InterruptedException {
    try (FakeEndpoint vendor = FakeEndpoint.answering(completion("{}"))) {
      AttemptOutcome outcome =
          attempt(openAi(vendor.uri(), manifest -> manifest.putObject("adapter_options")), 1);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.Failed.class,
              failed -> {
                assertThat(failed.errorCode()).isEqualTo("MANIFEST_INVALID");
                assertThat(failed.message()).contains("adapter_options.model");
              });
      assertThat(vendor.requests()).isEmpty();
    }
  }

  @Test
  void gives_the_attempt_up_when_interrupted_so_that_its_lease_lapses() {
    try (FakeEndpoint vendor =
        FakeEndpoint.answering(completion("{}").after(Duration.ofSeconds(20)))) {
      ObjectNode manifest = openAi(vendor.uri(), m -> {});
      Thread.currentThread().interrupt();
      try {
        attempt(manifest, 1);
        throw new AssertionError("the attempt went on although interrupted");
      } catch (InterruptedException expected) {
        assertThat(Thread.interrupted()).isFalse();
      }
    }
  }
}
