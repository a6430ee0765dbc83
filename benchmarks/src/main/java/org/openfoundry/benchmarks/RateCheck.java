package org.openfoundry.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a run's arrivals at the endpoint kept to a rate: the achieved rate between the first and the
 * last arrival, and for windows of one emission interval, one second and ten seconds the most
 * arrivals any such window held against its allowance ({@code window × rate}).
 */
record RateCheck(double rate, int requests, double seconds, double achieved, List<Window> windows) {

  /** The busiest window of one length: its most arrivals and what the rate allows in it. */
  record Window(double seconds, int most, double allowance) {
    /** How many arrivals the busiest window held above its allowance. */
    double excess() {
      return most - allowance;
    }
  }

  /** Reads sorted arrival times in nanoseconds. */
  static RateCheck of(long[] arrivals, double rate) {
    if (arrivals.length < 2) {
      throw new IllegalArgumentException("need two arrivals at least, got " + arrivals.length);
    }
    double seconds = (arrivals[arrivals.length - 1] - arrivals[0]) / 1e9;
    List<Window> windows = new ArrayList<>();
    for (double length : List.of(1 / rate, 1.0, 10.0)) {
      if (length <= seconds && windows.stream().noneMatch(w -> w.seconds() == length)) {
        windows.add(new Window(length, busiest(arrivals, length), length * rate));
      }
    }
    return new RateCheck(rate, arrivals.length, seconds, (arrivals.length - 1) / seconds, windows);
  }

  /**
   * Reads the arrivals from {@code skip} after the first one on: a worker's first calls wait for
   * its HTTP client to warm up and then leave together, which says nothing of the limit.
   */
  static RateCheck after(long[] arrivals, double rate, Duration skip) {
    long from = arrivals[0] + skip.toNanos();
    return of(Arrays.stream(arrivals).filter(time -> time >= from).toArray(), rate);
  }

  /** The achieved rate's distance from the limit, as a share of it. */
  double deviation() {
    return achieved / rate - 1;
  }

  /** The most arrivals any window held above its allowance. */
  double worstExcess() {
    return windows.stream().mapToDouble(Window::excess).max().orElse(0);
  }

  String describe() {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d requests over %.1f s: %.3f requests/s for a limit of %s (%+.2f %%)",
                requests,
                seconds,
                achieved,
                rate,
                deviation() * 100));
    for (Window window : windows) {
      text.append(
          String.format(
              Locale.ROOT,
              "%n    busiest %.3f s window: %d requests, allowance %.1f",
              window.seconds(),
              window.most(),
              window.allowance()));
    }
    return text.toString();
  }

  /** The most arrivals in any half-open window {@code [t, t + length)} that starts at one. */
  private static int busiest(long[] arrivals, double length) {
    long span = (long) (length * 1e9);
    int most = 0;
    int end = 0;
    for (int start = 0; start < arrivals.length; start++) {
      while (end < arrivals.length && arrivals[end] - arrivals[start] < span) {
        end++;
      }
      most = Math.max(most, end - start);
    }
    return most;
  }
}
