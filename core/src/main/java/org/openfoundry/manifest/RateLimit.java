package org.openfoundry.manifest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * How many calls per second a model's endpoint sustains, by its owner's estimate: {@code 0.1} means
 * one call every 10 seconds.
 */
public record RateLimit(double requestsPerSecond) {
  /** The most a manifest may ask for; beyond it the limit means nothing. */
  public static final double MAX_REQUESTS_PER_SECOND = 1_000_000;

  public RateLimit {
    if (!Double.isFinite(requestsPerSecond)
        || requestsPerSecond <= 0
        || requestsPerSecond > MAX_REQUESTS_PER_SECOND) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be positive and at most "
              + MAX_REQUESTS_PER_SECOND
              + ", got "
              + requestsPerSecond);
    }
  }

  /** The time between two calls at this rate. */
  public Duration interval() {
    return Duration.ofNanos(Math.max(1, Math.round(1e9 / requestsPerSecond)));
  }

  /** {@code 0.1 requests/s, one every 10 s}. */
  public String describe() {
    String rate = plain(BigDecimal.valueOf(requestsPerSecond));
    String unit = requestsPerSecond == 1 ? " request/s" : " requests/s";
    BigDecimal seconds = BigDecimal.ONE.divide(BigDecimal.valueOf(requestsPerSecond), PRECISION);
    String every =
        seconds.compareTo(BigDecimal.ONE) >= 0
            ? plain(seconds) + " s"
            : plain(seconds.movePointRight(3).round(PRECISION)) + " ms";
    return rate + unit + ", one every " + every;
  }

  private static final MathContext PRECISION = new MathContext(4);

  private static String plain(BigDecimal number) {
    return number.round(PRECISION).stripTrailingZeros().toPlainString();
  }
}
