package org.openfoundry.dispatch;

import java.time.Duration;
import java.util.Locale;

/** Durations written the way manifests write them: {@code 250ms}, {@code 10s}, {@code 1.5s}. */
final class Durations {
  private Durations() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return String.format(Locale.ROOT, "%.3fs", millis / 1000.0).replaceAll("0+s$", "s");
  }
}
