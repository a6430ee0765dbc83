package org.openfoundry.cli.runs;

import java.util.Locale;

/**
 * The states of a run as the API names them, and the exit status each gives {@code runs watch}: 0
 * when every row succeeded, 3 when some failed, 4 when the run failed, 5 when it was cancelled.
 */
public enum RunState {
  QUEUED(0),
  RUNNING(0),
  PAUSED(0),
  SUCCEEDED(0),
  PARTIALLY_SUCCEEDED(3),
  FAILED(4),
  CANCELLED(5);

  private final int exitCode;

  RunState(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The state named {@code text}; a state this CLI does not know is treated as running. */
  public static RunState parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException newer) {
      return RUNNING;
    }
  }

  public boolean isFinished() {
    return this == SUCCEEDED || this == PARTIALLY_SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public int exitCode() {
    return exitCode;
  }
}
