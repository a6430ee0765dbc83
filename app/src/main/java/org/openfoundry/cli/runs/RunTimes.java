package org.openfoundry.cli.runs;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** How long a finished run took, from its {@code started_at} and {@code finished_at}. */
public final class RunTimes {
  private RunTimes() {}

  public static Optional<Duration> took(JsonNode run) {
    try {
      Instant started = Instant.parse(run.path("started_at").asString(""));
      Instant finished = Instant.parse(run.path("finished_at").asString(""));
      return Optional.of(Duration.between(started, finished));
    } catch (DateTimeParseException unknown) {
      return Optional.empty();
    }
  }

  /** {@code in 2.9 s (8.3 rows/s)}, or nothing when the run has no times yet. */
  public static String describe(JsonNode run, long rows) {
    return took(run)
        .map(
            took -> {
              double seconds = took.toMillis() / 1000.0;
              String time = String.format(Locale.ROOT, "in %.1f s", seconds);
              return seconds > 0 && rows > 0
                  ? time + String.format(Locale.ROOT, " (%.1f rows/s)", rows / seconds)
                  : time;
            })
        .orElse("");
  }
}
