package org.openfoundry.manifest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;

/**
 * Durations ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a number of seconds) and byte
 * sizes ({@code 32MiB}, {@code 500KB}, or a number of bytes) as a manifest writes them.
 */
final class Quantities {
  private static final Pattern DURATION =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Long> MILLIS_PER_UNIT =
      Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L);
  private static final Pattern SIZE =
      Pattern.compile("([0-9]+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Long> BYTES_PER_UNIT =
      Map.of(
          "b", 1L,
          "kb", 1_000L,
          "kib", 1_024L,
          "mb", 1_000_000L,
          "mib", 1_048_576L,
          "gb", 1_000_000_000L,
          "gib", 1_073_741_824L);

  private Quantities() {}

  /** A positive whole number of milliseconds, at most {@code longest}. */
  static Optional<Duration> duration(
      JsonNode value, String path, Duration longest, TreeReader reader) {
    String expected =
        "expected a duration such as 500ms, 10s, 2m or a number of seconds, got "
            + TreeReader.describe(value);
    BigDecimal millis;
    if (value.isNumber()) {
      millis = value.decimalValue().movePointRight(3);
    } else if (value.isString() && DURATION.matcher(value.stringValue().strip()).matches()) {
      Matcher matcher = DURATION.matcher(value.stringValue().strip());
      matcher.matches();
      long perUnit = MILLIS_PER_UNIT.get(matcher.group(2).toLowerCase(Locale.ROOT));
      millis = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(perUnit));
    } else {
      reader.error(path, expected);
      return Optional.empty();
    }
    if (millis.signum() <= 0) {
      reader.error(path, "expected a positive duration, got " + TreeReader.describe(value));
      return Optional.empty();
    }
    if (millis.stripTrailingZeros().scale() > 0) {
      reader.error(
          path, "expected a whole number of milliseconds, got " + TreeReader.describe(value));
      return Optional.empty();
    }
    if (millis.compareTo(BigDecimal.valueOf(longest.toMillis())) > 0) {
      reader.error(
          path,
          "expected a duration of at most "
              + format(longest)
              + ", got "
              + TreeReader.describe(value));
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(millis.longValueExact()));
  }

  /** The shortest exact form: {@code 2m}, {@code 10s}, {@code 1500ms}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  /** A number of bytes from 1 to {@code largest}. */
  static OptionalLong bytes(JsonNode value, String path, long largest, TreeReader reader) {
    if (value.isNumber()) {
      return reader.integer(value, path, 1, largest);
    }
    Matcher matcher =
        value.isString() ? SIZE.matcher(value.stringValue().strip()) : SIZE.matcher("");
    if (!matcher.matches()) {
      reader.error(
          path,
          "expected a size such as 32MiB, 500KB or a number of bytes, got "
              + TreeReader.describe(value));
      return OptionalLong.empty();
    }
    BigInteger bytes =
        new BigInteger(matcher.group(1))
            .multiply(
                BigInteger.valueOf(BYTES_PER_UNIT.get(matcher.group(2).toLowerCase(Locale.ROOT))));
    if (bytes.signum() <= 0 || bytes.compareTo(BigInteger.valueOf(largest)) > 0) {
      reader.error(
          path,
          "expected a size from 1 byte to "
              + largest / 1_048_576
              + "MiB, got "
              + TreeReader.describe(value));
      return OptionalLong.empty();
    }
    return OptionalLong.of(bytes.longValueExact());
  }
}
