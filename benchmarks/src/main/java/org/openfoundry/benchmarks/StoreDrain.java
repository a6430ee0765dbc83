package org.openfoundry.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims a model's tasks and completes each claim at once, on the calling thread: what the store
 * spends on a task when nothing else runs.
 */
final class StoreDrain {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  // What the engine stores for the load endpoint's answer: one box, and the parse report.
  private static final JsonNode PREDICTIONS =
      JSON.readTree(
          """
          [{"type": "box", "feature": "person", "confidence": 0.91,
            "bbox": {"top": 40, "left": 12, "height": 170, "width": 84}}]
          """);
  private static final JsonNode REPORT =
      JSON.readTree("{\"predictions\": 1, \"dropped\": 0, \"problems\": []}");

  private final TaskQueue queue;
  private final ModelId model;
  private final int batch;
  private final Clock clock;

  StoreDrain(TaskQueue queue, ModelId model, int batch, Clock clock) {
    this.queue = queue;
    this.model = model;
    this.batch = batch;
    this.clock = clock;
  }

  /** Claims and completes up to {@code tasks} tasks; returns how many it completed. */
  int drain(int tasks) {
    int done = 0;
    while (done < tasks) {
      List<LeasedTask> leased =
          queue.claim(model, Math.min(batch, tasks - done), batch, "store", LEASE, clock.instant());
      if (leased.isEmpty()) {
        return done;
      }
      Instant finished = clock.instant();
      List<Completion> completions =
          leased.stream()
              .map(
                  task ->
                      new Completion(
                          task,
                          new AttemptOutcome.Succeeded(
                              200, Duration.ofMillis(1), LoadEndpoint.ANSWER, PREDICTIONS, REPORT),
                          finished,
                          finished))
              .toList();
      done += queue.complete(completions).size();
    }
    return done;
  }
}
