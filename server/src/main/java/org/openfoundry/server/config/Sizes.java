package org.openfoundry.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads human sizes ({@code 10MiB}, {@code 512KB}, {@code 1048576}) and durations ({@code 15m}).
 */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KIB|MIB|GIB)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(MS|S|M|H|D)");

  private Sizes() {}

  static Optional<Long> bytes(String text) {
    Matcher matcher = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long unit =
        switch (matcher.group(2) == null ? "B" : matcher.group(2)) {
          case "KB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          case "KIB" -> 1L << 10;
          case "MIB" -> 1L << 20;
          case "GIB" -> 1L << 30;
          default -> 1L;
        };
    try {
      long size = Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
      return size > 0 ? Optional.of(size) : Optional.empty();
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  static Optional<Duration> duration(String text) {
    String upper = text.trim().toUpperCase(Locale.ROOT);
    Duration duration;
    Matcher matcher = DURATION.matcher(upper);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        duration =
            switch (matcher.group(2)) {
              case "MS" -> Duration.ofMillis(amount);
              case "S" -> Duration.ofSeconds(amount);
              case "M" -> Duration.ofMinutes(amount);
              case "H" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            };
      } else {
        duration = Duration.parse(upper);
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException malformed) {
      return Optional.empty();
    }
    return duration.isNegative() || duration.isZero() ? Optional.empty() : Optional.of(duration);
  }
}
