package org.openfoundry.cli.runs;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/** Where a run stands: its state, its tasks counted by state, and the server's rate and ETA. */
public record Progress(
    String runId,
    RunState state,
    Counts counts,
    double percent,
    double throughputPerSecond,
    OptionalLong etaSeconds) {

  public Progress {
    requireNonNull(runId, "runId is null");
    requireNonNull(state, "state is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(etaSeconds, "etaSeconds is null");
  }

  /** Tasks by state; {@code leased} are the ones being worked on. */
  public record Counts(
      long queued, long leased, long succeeded, long failed, long cancelled, long total) {
    static Counts of(JsonNode counts) {
      return new Counts(
          counts.path("queued").asLong(0),
          counts.path("leased").asLong(0),
          counts.path("succeeded").asLong(0),
          counts.path("failed").asLong(0),
          counts.path("cancelled").asLong(0),
          counts.path("total").asLong(0));
    }

    public long done() {
      return succeeded + failed + cancelled;
    }
  }

  /** The data of a {@code progress} or {@code finished} event. */
  public static Progress ofEvent(JsonNode event) {
    return new Progress(
        event.path("run_id").asString(""),
        RunState.parse(event.path("state").asString("")),
        Counts.of(event.path("counts")),
        event.path("percent").asDouble(0),
        event.path("throughput_per_second").asDouble(0),
        eta(event.path("eta_seconds")));
  }

  /** A run as {@code GET /api/v1/runs/{id}} gives it, with its {@code progress}. */
  public static Progress ofRun(JsonNode run) {
    JsonNode progress = run.path("progress");
    Counts counts = Counts.of(run.path("counts"));
    double percent =
        progress.path("percent").isNumber()
            ? progress.path("percent").asDouble()
            : (counts.total() == 0 ? 100.0 : 100.0 * counts.done() / counts.total());
    return new Progress(
        run.path("id").asString(""),
        RunState.parse(run.path("state").asString("")),
        counts,
        percent,
        progress.path("throughput_per_second").asDouble(0),
        eta(progress.path("eta_seconds")));
  }

  private static OptionalLong eta(JsonNode eta) {
    return eta.isNumber() ? OptionalLong.of(eta.asLong()) : OptionalLong.empty();
  }
}
