package org.openfoundry.cli.runs;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.cli.text.Durations;

/**
 * Shows the progress of one or more runs. On a terminal each run has a line with a bar, the
 * percentage, the counts per state, the rate and the ETA, redrawn in place at every update; into a
 * file or a pipe a run gets a plain line when its state changes and at most every {@code every}
 * otherwise, so that logs stay short. Safe to update from several threads.
 */
public final class ProgressDisplay {
  private static final int BAR_WIDTH = 24;
  private static final String ESCAPE = "\u001b[";

  private final PrintWriter out;
  private final boolean terminal;
  private final Clock clock;
  private final Duration every;
  private final Map<String, Tracked> runs = new LinkedHashMap<>();
  private int linesDrawn;

  public ProgressDisplay(PrintWriter out, boolean terminal, Clock clock, Duration every) {
    this.out = requireNonNull(out, "out is null");
    this.terminal = terminal;
    this.clock = requireNonNull(clock, "clock is null");
    this.every = requireNonNull(every, "every is null");
  }

  private static final class Tracked {
    final String label;
    Optional<Progress> latest = Optional.empty();
    Optional<RunState> printedState = Optional.empty();
    String printedText = "";
    Instant printedAt = Instant.MIN;
    boolean pending;

    Tracked(String label) {
      this.label = label;
    }
  }

  /** Shows {@code runId} under {@code label}, such as the model's name. */
  public synchronized void track(String runId, String label) {
    runs.putIfAbsent(runId, new Tracked(label));
  }

  public synchronized void update(Progress progress) {
    Tracked run = runs.computeIfAbsent(progress.runId(), Tracked::new);
    run.latest = Optional.of(progress);
    if (terminal) {
      redraw();
      return;
    }
    run.pending = true;
    boolean stateChanged = run.printedState.filter(progress.state()::equals).isEmpty();
    if (stateChanged || due(run)) {
      print(run);
    }
  }

  /** Time passed without news: on a pipe, a run whose last line is old gets a new one. */
  public synchronized void tick() {
    if (terminal) {
      return;
    }
    for (Tracked run : runs.values()) {
      if (run.pending && due(run)) {
        print(run);
      }
    }
  }

  private boolean due(Tracked run) {
    return !clock.instant().isBefore(run.printedAt.plus(every));
  }

  private void print(Tracked run) {
    run.latest.ifPresent(
        progress -> {
          String text = plain(run.label, progress);
          run.pending = false;
          if (text.equals(run.printedText)) {
            return;
          }
          out.println(text);
          out.flush();
          run.printedText = text;
          run.printedState = Optional.of(progress.state());
          run.printedAt = clock.instant();
        });
  }

  private void redraw() {
    StringBuilder frame = new StringBuilder();
    if (linesDrawn > 0) {
      frame.append(ESCAPE).append(linesDrawn).append('A');
    }
    int width = runs.values().stream().mapToInt(run -> run.label.length()).max().orElse(0);
    for (Tracked run : runs.values()) {
      frame.append('\r').append(ESCAPE).append("2K");
      frame.append(
          run.latest
              .map(progress -> bar(pad(run.label, width), progress))
              .orElse(pad(run.label, width) + "  waiting for the first progress"));
      frame.append(System.lineSeparator());
    }
    linesDrawn = runs.size();
    out.print(frame);
    out.flush();
  }

  /** The line of a terminal: label, bar, percentage, state, counts, rate and ETA. */
  static String bar(String label, Progress progress) {
    int filled = (int) Math.round(BAR_WIDTH * Math.min(100, progress.percent()) / 100);
    String bar =
        filled >= BAR_WIDTH
            ? "=".repeat(BAR_WIDTH)
            : "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled - 1);
    Progress.Counts counts = progress.counts();
    return String.format(
            Locale.ROOT,
            "%s [%s] %5.1f%%  %-9s %d/%d  ok %d, failed %d, queued %d, running %d  %s",
            label,
            bar,
            progress.percent(),
            state(progress.state()),
            counts.done(),
            counts.total(),
            counts.succeeded(),
            counts.failed(),
            counts.queued(),
            counts.leased(),
            pace(progress))
        .stripTrailing();
  }

  /** The line of a log: no bar, no control characters, every count named. */
  static String plain(String label, Progress progress) {
    return String.format(
            Locale.ROOT,
            "%s: %s %.1f%% (%s) %s",
            label,
            progress.state().name(),
            progress.percent(),
            counts(progress.counts()),
            pace(progress))
        .stripTrailing();
  }

  /** {@code 12/24 done: 11 succeeded, 1 failed, 0 cancelled; 10 queued, 2 running}. */
  public static String counts(Progress.Counts counts) {
    return String.format(
        Locale.ROOT,
        "%d/%d done: %d succeeded, %d failed, %d cancelled; %d queued, %d running",
        counts.done(),
        counts.total(),
        counts.succeeded(),
        counts.failed(),
        counts.cancelled(),
        counts.queued(),
        counts.leased());
  }

  /** The rate over the last minute and the ETA while running; a finished run has neither. */
  private static String pace(Progress progress) {
    if (progress.state().isFinished()) {
      return "";
    }
    String rate = String.format(Locale.ROOT, "%.1f/s", progress.throughputPerSecond());
    if (progress.etaSeconds().isEmpty()) {
      return rate;
    }
    long eta = progress.etaSeconds().getAsLong();
    return rate + "  ETA " + (eta < 1 ? "<1s" : Durations.describe(eta));
  }

  private static String state(RunState state) {
    return state == RunState.PARTIALLY_SUCCEEDED ? "PARTIAL" : state.name();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
