package org.openfoundry.cli.text;

/** Durations as people read them on a progress line: {@code 42s}, {@code 3m05s}, {@code 2h07m}. */
public final class Durations {
  private Durations() {}

  /** Whole seconds, rounded: {@code 0s}, {@code 59s}, {@code 1m00s}, {@code 1h00m}. */
  public static String describe(long seconds) {
    if (seconds < 0) {
      seconds = 0;
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
    }
    return (seconds / 3600) + "h" + String.format("%02d", (seconds % 3600) / 60) + "m";
  }
}
