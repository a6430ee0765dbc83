package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.engine.EngineFixture.awaitValue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.adapters.OpenAiVendor;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatOutcome;
import org.openfoundry.directrun.ChatService;
import org.openfoundry.directrun.ChatSettings;
import org.openfoundry.directrun.ChatTarget;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.KeepWholeResponse;
import org.openfoundry.models.Model;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskAttempt;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskState;
import org.openfoundry.runs.TaskView;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.store.DatabaseConfig;
import tools.jackson.databind.JsonNode;

class EngineNodeTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);
  @TempDir Path folder;

  private EngineNode open() {
    return EngineNode.open(
        new EngineConfig(
            DatabaseConfig.sqlite(folder.resolve("foundry.db")),
            new MasterKeySource.Given(MasterKey.generate(new SecureRandom())),
            DispatcherConfig.defaults("node-test").withPollInterval(Duration.ofMillis(50)),
            EndpointClientConfig.defaults(),
            new KeepWholeResponse()),
        Clock.systemUTC());
  }

  private static Run finished(EngineNode node, Run run) {
    return awaitValue(
        "run " + run.id() + " to finish",
        WITHIN,
        () -> node.store().runs().get(run.id()).filter(current -> current.state().isFinished()));
  }

  private static List<RunResult> results(EngineNode node, Run run) {
    try (Stream<RunResult> results = node.store().runs().results(run.id())) {
      return results.toList();
    }
  }

  @Test
  void runs_every_row_through_the_wire_contract_and_stores_one_result_each() {
    try (FakeEndpoint endpoint =
            FakeEndpoint.answering(
                new FakeEndpoint.Reply.Respond(
                    200,
                    Map.of("Content-Type", "application/json"),
                    "{\"person\": {\"boxes\": [[1, 2, 30, 40]], \"scores\": [0.9]}}",
                    Duration.ofMillis(5)));
        EngineNode node = open()) {
      Model model =
          EngineFixture.model(
              node.store(),
              """
              name: street detector
              inference_endpoint: %s
              max_concurrency: 4
              ontology:
                media_type: IMAGE
                tools:
                  - {name: person, tool: rectangle}
              """
                  .formatted(endpoint.uri()),
              Optional.of("s3cret"));
      Dataset dataset = EngineFixture.dataset(node.store(), "street", 40);
      Run run = EngineFixture.run(node.store(), model, dataset, List.of("person"));

      node.start();
      Run done = finished(node, run);

      assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(done.counts()).isEqualTo(new TaskCounts(0, 0, 40, 0, 0));
      List<RunResult> results = results(node, run);
      assertThat(results).hasSize(40);
      assertThat(results).extracting(result -> result.row().id()).doesNotHaveDuplicates();
      assertThat(results.getFirst().predictions().at("/person/boxes/0/2").asInt()).isEqualTo(30);
      assertThat(endpoint.requests())
          .allSatisfy(
              request -> assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret"));
      assertThat(endpoint.maxConcurrent()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void runs_a_model_behind_the_openai_adapter_end_to_end() {
    String content = "{\"weather\": \"rainy\"}";
    try (FakeEndpoint vendor =
            FakeEndpoint.answering(FakeEndpoint.Reply.json(OpenAiVendor.chatCompletion(content)));
        EngineNode node = open()) {
      Model model =
          EngineFixture.model(
              node.store(),
              OpenAiVendor.manifest("weather vision", vendor.uri()),
              Optional.of("sk-test"));
      Dataset dataset = EngineFixture.dataset(node.store(), "weather", 3);
      Run run = EngineFixture.run(node.store(), model, dataset, List.of());

      node.start();
      Run done = finished(node, run);

      assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
      List<RunResult> results = results(node, run);
      assertThat(results).hasSize(3);
      assertThat(results)
          .allSatisfy(
              result -> {
                assertThat(result.predictions()).isEqualTo(EngineFixture.JSON.readTree(content));
                assertThat(result.rawResponse()).contains("chatcmpl-1");
              });
      Map<String, FakeEndpoint.Recorded> byKey =
          vendor.requests().stream()
              .collect(Collectors.toMap(request -> request.header("Idempotency-Key"), r -> r));
      assertThat(byKey.keySet())
          .isEqualTo(
              results.stream().map(result -> result.taskId().value()).collect(Collectors.toSet()));
      FakeEndpoint.Recorded request = vendor.requests().getFirst();
      assertThat(request.path()).isEqualTo("/v1/chat/completions");
      assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
      JsonNode body = EngineFixture.JSON.readTree(request.body());
      assertThat(body.path("model").stringValue()).isEqualTo("vision-test");
      assertThat(body.at("/response_format/type").stringValue()).isEqualTo("json_object");
      assertThat(body.at("/messages/0/role").stringValue()).isEqualTo("system");
      assertThat(body.at("/messages/1/content/0/image_url/url").stringValue())
          .startsWith("https://images.example.com/weather-");
    }
  }

  @Test
  void retries_a_row_the_vendor_rate_limited_after_its_retry_after() {
    String content = "{\"weather\": \"sunny\"}";
    try (FakeEndpoint vendor =
            FakeEndpoint.start(
                FakeEndpoint.sequence(
                    FakeEndpoint.Reply.withHeader(429, "Retry-After", "1"),
                    FakeEndpoint.Reply.json(OpenAiVendor.chatCompletion(content))));
        EngineNode node = open()) {
      Model model =
          EngineFixture.model(
              node.store(),
              OpenAiVendor.manifest("weather vision", vendor.uri()),
              Optional.of("sk-test"));
      Run run =
          EngineFixture.run(
              node.store(), model, EngineFixture.dataset(node.store(), "sunny", 1), List.of());

      node.start();
      Run done = finished(node, run);

      assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
      TaskView task =
          node.store()
              .runs()
              .tasks(run.id(), Optional.of(TaskState.SUCCEEDED), PageRequest.first(10))
              .items()
              .getFirst();
      List<TaskAttempt> attempts = node.store().runs().attempts(task.id());
      assertThat(attempts)
          .extracting(TaskAttempt::result)
          .containsExactly(AttemptResult.RETRY, AttemptResult.SUCCEEDED);
      assertThat(attempts.getFirst().detail().error().orElseThrow().code())
          .isEqualTo("ENDPOINT_HTTP_429");
      assertThat(Duration.between(attempts.getFirst().finishedAt(), attempts.get(1).startedAt()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  void fails_a_row_whose_vendor_answer_cannot_be_read_and_finishes_the_run() {
    try (FakeEndpoint vendor =
            FakeEndpoint.answering(
                FakeEndpoint.Reply.json(OpenAiVendor.chatCompletion("It looks rainy to me.")));
        EngineNode node = open()) {
      Model model =
          EngineFixture.model(
              node.store(),
              OpenAiVendor.manifest("weather vision", vendor.uri()),
              Optional.empty());
      Run run =
          EngineFixture.run(
              node.store(), model, EngineFixture.dataset(node.store(), "prose", 2), List.of());

      node.start();
      Run done = finished(node, run);

      assertThat(done.state()).isEqualTo(RunState.FAILED);
      assertThat(done.counts().failed()).isEqualTo(2);
      TaskView task =
          node.store()
              .runs()
              .tasks(run.id(), Optional.of(TaskState.FAILED), PageRequest.first(10))
              .items()
              .getFirst();
      assertThat(task.error().orElseThrow().code()).isEqualTo("ADAPTER_RESPONSE_INVALID");
      assertThat(task.error().orElseThrow().message()).contains("choices[0].message.content");
      assertThat(vendor.requests()).hasSize(2);
    }
  }

  @Test
  void keeps_the_rate_limiter_in_memory_on_sqlite_where_one_node_works_the_queue() {
    try (EngineNode node = open()) {
      assertThat(node.rateLimiter()).isInstanceOf(InMemoryRateLimiter.class);
      assertThat(node.owner()).isEqualTo("node-test");
    }
  }

  @Test
  void stops_claiming_on_close_and_leaves_unstarted_rows_queued() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(FakeEndpoint.Reply.json("{\"person\": {\"boxes\": []}}"))) {
      EngineNode node = open();
      Model model =
          EngineFixture.model(
              node.store(),
              "name: idle\ninference_endpoint: " + endpoint.uri() + "\n",
              Optional.empty());
      Run run =
          EngineFixture.run(
              node.store(), model, EngineFixture.dataset(node.store(), "idle", 5), List.of());
      node.close();

      assertThat(endpoint.requests()).isEmpty();
      try (EngineNode reopened = open()) {
        assertThat(reopened.store().runs().get(run.id()).orElseThrow().counts().queued())
            .isEqualTo(5);
      }
    }
  }

  @Test
  void chat_calls_share_the_dispatchers_concurrency_cap_and_go_before_the_queued_rows()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeEndpoint endpoint =
            FakeEndpoint.start(
                request ->
                    request.body().contains("\"data_row\"")
                        ? new FakeEndpoint.Reply.Hold(release, FakeEndpoint.Reply.json("{}"))
                        : FakeEndpoint.Reply.json("{\"text\": \"right away\"}"));
        EngineNode node = open()) {
      Model model =
          EngineFixture.model(
              node.store(),
              """
              name: busy captioner
              inference_endpoint: %s
              allowed_asset_types: [image, conversational]
              max_concurrency: 1
              """
                  .formatted(endpoint.uri()),
              Optional.empty());
      Run run =
          EngineFixture.run(
              node.store(), model, EngineFixture.dataset(node.store(), "busy", 3), List.of());
      ChatService chat = node.chatService(ChatSettings.defaults());
      ChatTarget target =
          chat.target(model.id(), OptionalInt.empty(), EngineFixture.JSON.createObjectNode());

      node.start();
      EngineFixture.await("the first batch call", WITHIN, () -> endpoint.requests().size() == 1);
      CompletableFuture<ChatOutcome> answer =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return chat.call(target, Conversation.of(Message.text(Role.USER, "Now?")));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      EngineFixture.await(
          "the chat call to wait in the interactive lane",
          WITHIN,
          () -> node.interactive().interactive(model.id()) == 1);
      assertThat(endpoint.requests()).hasSize(1);
      release.countDown();

      assertThat(answer.get(WITHIN.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ChatAnswer.class);
      assertThat(finished(node, run).state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(endpoint.requests())
          .extracting(request -> request.body().contains("\"data_row\""))
          .containsExactly(true, false, true, true);
      assertThat(endpoint.maxConcurrent()).isEqualTo(1);
    }
  }
}
