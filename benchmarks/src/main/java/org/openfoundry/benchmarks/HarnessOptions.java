package org.openfoundry.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A harness scenario and its {@code --key value} options; an unknown key is refused by name. */
record HarnessOptions(String scenario, Map<String, String> values) {
  static final Set<String> KEYS =
      Set.of(
          "--tasks",
          "--concurrency",
          "--latency-ms",
          "--raw-seconds",
          "--rates",
          "--seconds",
          "--rate",
          "--workers",
          "--db",
          "--db-user",
          "--claim-batch",
          "--linger-ms",
          "--rows",
          "--clients",
          "--folder",
          "--warm-up");

  HarnessOptions {
    values = Map.copyOf(values);
  }

  static HarnessOptions parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("expected a scenario, got nothing");
    }
    Map<String, String> values = new HashMap<>();
    for (int index = 1; index < args.length; index += 2) {
      String key = args[index];
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option " + key);
      }
      if (index + 1 >= args.length) {
        throw new IllegalArgumentException(key + ": expected a value, got nothing");
      }
      values.put(key, args[index + 1]);
    }
    return new HarnessOptions(args[0], values);
  }

  int count(String key, int fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.replace("_", "").replace(",", ""));
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(key + ": expected a whole number >= 1, got " + value);
  }

  double number(String key, double fallback) {
    return numbers(key, List.of(fallback)).getFirst();
  }

  List<Double> numbers(String key, List<Double> fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      List<Double> numbers = Arrays.stream(value.split(",")).map(Double::valueOf).toList();
      if (numbers.stream().allMatch(number -> number > 0 && Double.isFinite(number))) {
        return numbers;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(
        key + ": expected positive numbers separated by commas, got " + value);
  }

  Duration millis(String key, long fallback) {
    String value = values.get(key);
    if (value == null) {
      return Duration.ofMillis(fallback);
    }
    try {
      long millis = Long.parseLong(value);
      if (millis >= 0) {
        return Duration.ofMillis(millis);
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(key + ": expected milliseconds >= 0, got " + value);
  }

  Optional<String> text(String key) {
    return Optional.ofNullable(values.get(key));
  }

  Optional<Path> folder() {
    return text("--folder").map(Path::of);
  }
}
