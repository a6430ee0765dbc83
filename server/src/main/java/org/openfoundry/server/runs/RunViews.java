package org.openfoundry.server.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunProgress;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskView;
import tools.jackson.databind.node.ObjectNode;

/** How runs, their progress and their tasks are written on the API. */
final class RunViews {
  private RunViews() {}

  record Counts(long queued, long leased, long succeeded, long failed, long cancelled, long total) {
    static Counts of(TaskCounts counts) {
      return new Counts(
          counts.queued(),
          counts.leased(),
          counts.succeeded(),
          counts.failed(),
          counts.cancelled(),
          counts.total());
    }
  }

  record Settings(
      List<String> features,
      Map<String, String> classMapping,
      ObjectNode inferenceParams,
      List<String> allowedAssetTypes,
      OptionalDouble failureBudget) {}

  record Progress(double percent, double throughputPerSecond, Optional<Long> etaSeconds) {
    static Progress of(RunProgress progress) {
      TaskCounts counts = progress.counts();
      double percent =
          counts.total() == 0
              ? 100.0
              : Math.round(1000.0 * (counts.total() - counts.remaining()) / counts.total()) / 10.0;
      return new Progress(
          percent,
          Math.round(progress.throughputPerSecond() * 1000.0) / 1000.0,
          progress.eta().map(Duration::toSeconds));
    }
  }

  record RunView(
      String id,
      String modelId,
      String modelVersionId,
      Optional<String> datasetId,
      String state,
      Counts counts,
      Settings settings,
      Instant createdAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Optional<Progress> progress) {}

  static RunView run(Run run, Optional<RunProgress> progress) {
    return new RunView(
        run.id().value(),
        run.modelId().value(),
        run.modelVersionId().value(),
        run.dataset().map(dataset -> dataset.value()),
        run.state().name(),
        Counts.of(progress.map(RunProgress::counts).orElse(run.counts())),
        new Settings(
            run.settings().features(),
            run.settings().classMapping(),
            run.settings().inferenceParams(),
            run.settings().allowedAssetTypes().stream().map(type -> type.word()).sorted().toList(),
            run.settings().failureBudget()),
        run.times().createdAt(),
        run.times().startedAt(),
        run.times().finishedAt(),
        progress.map(Progress::of));
  }

  record TaskError(String code, String message) {}

  record TaskRow(
      String id,
      String dataRowId,
      String state,
      int attempts,
      OptionalInt lastStatus,
      Optional<TaskError> error,
      Optional<Long> latencyMs) {
    static TaskRow of(TaskView task) {
      return new TaskRow(
          task.id().value(),
          task.dataRowId().value(),
          task.state().name(),
          task.attempts(),
          task.lastStatus(),
          task.error().map(error -> new TaskError(error.code(), error.message())),
          task.latency().map(Duration::toMillis));
    }
  }

  /** One server-sent event's data: where the run stands. */
  record ProgressEvent(
      String runId,
      String state,
      Counts counts,
      double percent,
      double throughputPerSecond,
      Optional<Long> etaSeconds) {
    static ProgressEvent of(RunProgress progress) {
      Progress figures = Progress.of(progress);
      return new ProgressEvent(
          progress.runId().value(),
          progress.state().name(),
          Counts.of(progress.counts()),
          figures.percent(),
          figures.throughputPerSecond(),
          figures.etaSeconds());
    }
  }
}
