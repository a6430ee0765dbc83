package org.openfoundry.server.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times, durations and counts read on the pages. */
final class Format {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Format() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /** {@code 1 h 5 min}, {@code 4 min 10 s}, {@code 12 s}. */
  static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds >= 3600) {
      return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
    }
    if (seconds >= 60) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds + " s";
  }

  /** A count with thousands separated: {@code 12,345}. */
  static String count(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** A state word as people read it: {@code PARTIALLY_SUCCEEDED} is "partially succeeded". */
  static String state(String state) {
    return state.toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
