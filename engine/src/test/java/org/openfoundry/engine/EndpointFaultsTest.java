package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.models.Model;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.runs.AttemptDetail;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskAttempt;
import org.openfoundry.runs.TaskError;
import org.openfoundry.runs.TaskState;
import org.openfoundry.runs.TaskView;

/**
 * Endpoints that misbehave in every way the network allows, met by the real dispatcher and HTTP
 * client on a SQLite store. Each task ends succeeded after its retries or failed with its stable
 * error code, the HTTP status and the first KiB of the body on record; backoffs and holds pass on a
 * stepped clock, and the timeouts that must run in real time are a few hundred milliseconds.
 */
class EndpointFaultsTest {
  private static final String ANSWER =
      "{\"person\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.9]}}";
  private static final Reply.Respond GOOD = Reply.json(ANSWER);
  private static final long MIB = 1024 * 1024;

  @TempDir Path folder;

  @Test
  void an_endpoint_silent_before_its_headers_times_out_and_is_retried() throws Exception {
    assertRecoversOrFails(
        new Fault(GOOD.after(Duration.ofSeconds(20)), "ENDPOINT_TIMEOUT", OptionalInt.empty(), ""),
        2,
        3,
        "timeouts: {read: 300ms}");
  }

  @Test
  void an_endpoint_that_stalls_in_the_middle_of_its_body_times_out_with_what_it_sent()
      throws Exception {
    Reply stall = new Reply.Drip(ANSWER, 16, Duration.ofSeconds(20));
    assertRecoversOrFails(
        new Fault(stall, "ENDPOINT_TIMEOUT", OptionalInt.of(200), ANSWER.substring(0, 16)),
        1,
        2,
        "timeouts: {read: 300ms}");
  }

  @Test
  void a_storm_of_5xx_is_retried_until_it_passes_or_the_attempts_run_out() throws Exception {
    String page = "<html>" + "overloaded ".repeat(500) + "</html>";
    int[] storm = {500, 502, 504, 503};
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint endpoint =
            node.endpoint(
                byRow(
                    attempt -> attempt < 4 ? html(storm[attempt - 1], page) : GOOD,
                    attempt -> html(503, page)))) {
      Run run = run(node, endpoint, 2, "max_attempts: 5");

      node.runToEnd(run);

      List<TaskAttempt> recovered = node.store.runs().attempts(task(node, run, 0).id());
      assertThat(recovered)
          .extracting(attempt -> attempt.detail().error().map(TaskError::code).orElse("none"))
          .containsExactly("ENDPOINT_HTTP_500", "ENDPOINT_HTTP_502", "ENDPOINT_HTTP_504", "none");
      assertRecovered(node, run, 0, 4, "ENDPOINT_HTTP_504", OptionalInt.of(504), kib(page));
      assertFailed(node, run, 1, 5, "ENDPOINT_HTTP_503", OptionalInt.of(503), kib(page));
      assertThat(node.store.runs().get(run.id()).orElseThrow().state())
          .isEqualTo(RunState.PARTIALLY_SUCCEEDED);
      node.assertBackoffHonoured();
    }
  }

  @Test
  void a_429_with_retry_after_in_seconds_holds_the_whole_model_back_that_long() throws Exception {
    assertRetryAfterHoldsTheModel(instant -> "30", Duration.ofSeconds(30));
  }

  @Test
  void a_429_with_retry_after_as_an_http_date_holds_the_whole_model_back_until_then()
      throws Exception {
    assertRetryAfterHoldsTheModel(
        instant ->
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                instant.plusSeconds(45).atZone(ZoneOffset.UTC)),
        Duration.ofSeconds(45));
  }

  @Test
  void a_connection_dropped_before_any_response_is_a_reset_and_retried() throws Exception {
    assertRecoversOrFails(
        new Fault(
            new Reply.Drop(Duration.ZERO), "ENDPOINT_CONNECTION_RESET", OptionalInt.empty(), ""),
        1,
        3,
        "");
  }

  @Test
  void a_connection_dropped_in_the_middle_of_the_body_is_a_reset_with_what_was_sent()
      throws Exception {
    String half = ANSWER.substring(0, 30);
    Reply cut = new Reply.Truncated(half, ANSWER.length());
    assertRecoversOrFails(
        new Fault(cut, "ENDPOINT_CONNECTION_RESET", OptionalInt.of(200), half), 2, 3, "");
  }

  @Test
  void malformed_json_fails_the_task_at_once_as_not_json() throws Exception {
    assertFailsAtOnceAsNotJson("{\"person\": {boxes: [[0, 0, 10, 10]]}, 'label': tench}");
  }

  @Test
  void json_cut_short_in_a_complete_response_fails_the_task_at_once_as_not_json() throws Exception {
    assertFailsAtOnceAsNotJson(ANSWER.substring(0, ANSWER.length() - 7));
  }

  @Test
  void a_100_mib_body_is_cut_off_at_the_cap_without_holding_it_in_memory() throws Exception {
    long hundredMib = 100 * MIB;
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint warmUp = node.endpoint(FakeEndpoint.always(GOOD));
        FakeEndpoint endpoint =
            node.endpoint(FakeEndpoint.always(new Reply.Huge(hundredMib, false)))) {
      // A first call starts the client's threads and fills its buffer pool, which is not the
      // read's cost.
      node.runToEnd(run(node, "warm-up", warmUp, 1, "max_attempts: 1"));
      Run run = run(node, endpoint, 1, "max_response_bytes: " + MIB);
      ClientAllocations allocations = ClientAllocations.start();

      node.runToEnd(run);

      long allocated = allocations.since();
      assertFailed(node, run, 0, 1, "RESPONSE_TOO_LARGE", OptionalInt.of(200), " ".repeat(1024));
      assertThat(message(node, run, 0)).contains("cap of " + MIB + " bytes");
      assertThat(endpoint.bytesSent()).isLessThan(hundredMib / 4);
      // The body buffer grows to the cap on the client's threads, so they are the ones measured.
      assertThat(allocated)
          .as("bytes allocated by the client's threads while reading")
          .isBetween(MIB, 8 * MIB);
    }
  }

  @Test
  void a_body_that_never_ends_is_cut_off_by_the_total_timeout_or_the_size_cap() throws Exception {
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint endpoint =
            node.endpoint(
                byRow(
                    attempt -> new Reply.Endless(Duration.ofMillis(20)),
                    attempt -> new Reply.Huge(Long.MAX_VALUE, false)))) {
      Run run =
          run(
              node,
              endpoint,
              2,
              "timeouts: {read: 1s, total: 700ms}\nmax_attempts: 2\nmax_response_bytes: " + MIB);

      node.runToEnd(run);

      assertFailed(node, run, 0, 2, "ENDPOINT_TOTAL_TIMEOUT", OptionalInt.of(200), "");
      assertThat(prefix(node, run, 0)).startsWith("{\"summary\": \"a");
      assertThat(message(node, run, 0)).contains("total timeout of 700ms");
      assertFailed(node, run, 1, 1, "RESPONSE_TOO_LARGE", OptionalInt.of(200), " ".repeat(1024));
    }
  }

  @Test
  void a_drip_of_one_byte_a_second_is_cut_off_by_the_total_timeout_though_each_byte_comes_in_time()
      throws Exception {
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint endpoint =
            node.endpoint(FakeEndpoint.always(new Reply.Drip(ANSWER, 1, Duration.ofSeconds(1))))) {
      Run run = run(node, endpoint, 1, "timeouts: {read: 1500ms, total: 2500ms}\nmax_attempts: 1");

      node.runToEnd(run);

      assertFailed(node, run, 0, 1, "ENDPOINT_TOTAL_TIMEOUT", OptionalInt.of(200), "");
      assertThat(prefix(node, run, 0)).startsWith("{").hasSizeLessThan(6);
      assertThat(message(node, run, 0)).contains("total timeout of 2.5s");
    }
  }

  /**
   * Row 1 meets the fault on its first {@code failures} attempts and then succeeds; row 2 meets it
   * on each of its {@code maxAttempts} attempts and fails. Every failed attempt records the fault's
   * code, status and body prefix, and every retry waits for its backoff.
   */
  private void assertRecoversOrFails(Fault fault, int failures, int maxAttempts, String timeouts)
      throws Exception {
    Reply reply = fault.reply();
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint endpoint =
            node.endpoint(byRow(attempt -> attempt <= failures ? reply : GOOD, attempt -> reply))) {
      Run run = run(node, endpoint, 2, timeouts + "\nmax_attempts: " + maxAttempts);

      node.runToEnd(run);

      String code = fault.code();
      assertRecovered(node, run, 0, failures + 1, code, fault.status(), fault.prefix());
      assertFailed(node, run, 1, maxAttempts, code, fault.status(), fault.prefix());
      assertThat(node.store.runs().get(run.id()).orElseThrow().state())
          .isEqualTo(RunState.PARTIALLY_SUCCEEDED);
      node.assertBackoffHonoured();
    }
  }

  private void assertFailsAtOnceAsNotJson(String body) throws Exception {
    try (SteppedNode node = new SteppedNode(folder);
        FakeEndpoint endpoint = node.endpoint(FakeEndpoint.always(Reply.json(body)))) {
      Run run = run(node, endpoint, 1, "max_attempts: 5");

      node.runToEnd(run);

      assertFailed(node, run, 0, 1, "RESPONSE_NOT_JSON", OptionalInt.of(200), body);
      assertThat(message(node, run, 0)).startsWith("the response is not JSON: ");
      assertThat(endpoint.requests()).hasSize(1);
    }
  }

  private void assertRetryAfterHoldsTheModel(Function<Instant, String> retryAfter, Duration hold)
      throws Exception {
    try (SteppedNode node = new SteppedNode(folder)) {
      Instant limited = node.clock.instant();
      Reply tooMany = Reply.withHeader(429, "Retry-After", retryAfter.apply(limited));
      try (FakeEndpoint endpoint =
          node.endpoint(byRow(attempt -> attempt == 1 ? tooMany : GOOD, attempt -> GOOD))) {
        Run run = run(node, endpoint, 3, "max_concurrency: 1");

        node.runToEnd(run);

        assertRecovered(node, run, 0, 2, "ENDPOINT_HTTP_429", OptionalInt.of(429), "status 429");
        assertThat(node.store.runs().get(run.id()).orElseThrow().state())
            .isEqualTo(RunState.SUCCEEDED);
        List<SteppedNode.Arrival> arrivals = node.arrivals();
        assertThat(arrivals).hasSize(4);
        int refused =
            arrivals.indexOf(new SteppedNode.Arrival(task(node, run, 0).id().value(), 1, limited));
        assertThat(refused).as("the 429's request, at the time the test began").isNotNegative();
        assertThat(arrivals.subList(refused + 1, arrivals.size()))
            .as("every later call of the model, the other rows' first ones too")
            .hasSizeGreaterThanOrEqualTo(2)
            .allSatisfy(arrival -> assertThat(arrival.at()).isAfterOrEqualTo(limited.plus(hold)));
      }
    }
  }

  private static Run run(SteppedNode node, FakeEndpoint endpoint, int rows, String settings) {
    return run(node, "faulty", endpoint, rows, settings);
  }

  private static Run run(
      SteppedNode node, String name, FakeEndpoint endpoint, int rows, String settings) {
    Model model =
        node.model(
            """
            name: %s detector
            inference_endpoint: %s
            %s
            ontology:
              media_type: IMAGE
              tools:
                - {name: person, tool: rectangle}
            """
                .formatted(name, endpoint.uri(), settings));
    return node.run(model, name, rows);
  }

  /** Row 1's attempts answered by {@code first}, row 2's by {@code second}, counting from 1. */
  private static FakeEndpoint.Script byRow(AttemptReply first, AttemptReply second) {
    return request -> {
      int attempt = Integer.parseInt(request.header("OpenFoundry-Attempt"));
      return request.body().contains("\"faulty-1.jpg\"")
          ? first.reply(attempt)
          : second.reply(attempt);
    };
  }

  /** What an endpoint does, and the error code, status and body prefix it leaves on record. */
  private record Fault(Reply reply, String code, OptionalInt status, String prefix) {}

  @FunctionalInterface
  private interface AttemptReply {
    Reply reply(int attempt);
  }

  private static Reply html(int status, String page) {
    return new Reply.Respond(status, Map.of("Content-Type", "text/html"), page, Duration.ZERO);
  }

  private static String kib(String text) {
    return text.substring(0, 1024);
  }

  private static TaskView task(SteppedNode node, Run run, int index) {
    return node.store
        .runs()
        .tasks(run.id(), Optional.empty(), PageRequest.first(10))
        .items()
        .get(index);
  }

  private static TaskAttempt lastAttempt(SteppedNode node, Run run, int index) {
    return node.store.runs().attempts(task(node, run, index).id()).getLast();
  }

  private static String prefix(SteppedNode node, Run run, int index) {
    return lastAttempt(node, run, index).detail().responsePrefix();
  }

  private static String message(SteppedNode node, Run run, int index) {
    return lastAttempt(node, run, index).detail().error().orElseThrow().message();
  }

  /**
   * The task succeeded at its {@code attempts}th attempt after retries, the last of which recorded
   * {@code code}, {@code status} and a body starting with {@code prefix}.
   */
  private static void assertRecovered(
      SteppedNode node,
      Run run,
      int index,
      int attempts,
      String code,
      OptionalInt status,
      String prefix) {
    assertEnded(node, run, index, TaskState.SUCCEEDED, attempts, code, status, prefix);
  }

  /**
   * The task failed for good at its {@code attempts}th attempt with {@code code}, {@code status}
   * and a body starting with {@code prefix} on record.
   */
  private static void assertFailed(
      SteppedNode node,
      Run run,
      int index,
      int attempts,
      String code,
      OptionalInt status,
      String prefix) {
    assertEnded(node, run, index, TaskState.FAILED, attempts, code, status, prefix);
    TaskView task = task(node, run, index);
    assertThat(task.error()).hasValueSatisfying(error -> assertThat(error.code()).isEqualTo(code));
    assertThat(task.lastStatus()).isEqualTo(status);
  }

  private static void assertEnded(
      SteppedNode node,
      Run run,
      int index,
      TaskState end,
      int attempts,
      String code,
      OptionalInt status,
      String prefix) {
    TaskView task = task(node, run, index);
    assertThat(task.state()).isEqualTo(end);
    assertThat(task.attempts()).isEqualTo(attempts);
    List<TaskAttempt> history = node.store.runs().attempts(task.id());
    assertThat(history).hasSize(attempts);
    assertThat(history.subList(0, attempts - 1))
        .allSatisfy(attempt -> assertThat(attempt.result()).isEqualTo(AttemptResult.RETRY));
    boolean succeeded = end == TaskState.SUCCEEDED;
    assertThat(history.getLast().result())
        .isEqualTo(succeeded ? AttemptResult.SUCCEEDED : AttemptResult.FAILED);
    AttemptDetail failure = history.get(succeeded ? attempts - 2 : attempts - 1).detail();
    assertThat(failure.error())
        .hasValueSatisfying(
            error -> {
              assertThat(error.code()).isEqualTo(code);
              assertThat(error.message()).isNotBlank().doesNotContain("fault-secret");
            });
    assertThat(failure.httpStatus()).isEqualTo(status);
    assertThat(failure.responsePrefix()).startsWith(prefix).hasSizeLessThanOrEqualTo(1024);
  }

  /** Bytes allocated by the endpoint client's threads, which read every response body. */
  private record ClientAllocations(long[] threads, long[] before) {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static ClientAllocations start() {
      long[] ids = THREADS.getAllThreadIds();
      return new ClientAllocations(ids, THREADS.getThreadAllocatedBytes(ids));
    }

    long since() {
      long[] ids = THREADS.getAllThreadIds();
      long[] now = THREADS.getThreadAllocatedBytes(ids);
      ThreadInfo[] infos = THREADS.getThreadInfo(ids);
      long total = 0;
      for (int index = 0; index < ids.length; index++) {
        if (infos[index] == null || !infos[index].getThreadName().startsWith("endpoint-client")) {
          continue;
        }
        total += Math.max(0, now[index] - beforeOf(ids[index]));
      }
      return total;
    }

    private long beforeOf(long id) {
      for (int index = 0; index < threads.length; index++) {
        if (threads[index] == id) {
          return Math.max(0, before[index]);
        }
      }
      return 0;
    }
  }
}
