package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a failed attempt comes to. Connection errors, timeouts, 408, 429, 500, 502, 503 and
 * 504 are worth another attempt, after exponential backoff with full jitter ({@code uniform(0,
 * min(cap, base * 2^(attempt - 1)))}) or after the endpoint's {@code Retry-After} when it sent one;
 * anything else, and the last attempt allowed, fails the task.
 */
public final class RetryPolicy {
  /** Statuses that say "not now" rather than "never". */
  static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

  private static final Set<EndpointError> RETRYABLE_ERRORS =
      Set.of(
          EndpointError.ENDPOINT_UNREACHABLE,
          EndpointError.ENDPOINT_CONNECT_TIMEOUT,
          EndpointError.ENDPOINT_TIMEOUT,
          EndpointError.ENDPOINT_TOTAL_TIMEOUT,
          EndpointError.ENDPOINT_CONNECTION_RESET);

  // RFC 9110 section 5.6.7: IMF-fixdate and asctime; the obsolete RFC 850 form, with its two-digit
  // year, is read apart.
  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME,
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH)
              .withZone(ZoneOffset.UTC));

  private static final Pattern RFC_850_DATE =
      Pattern.compile("([A-Za-z]+), (\\d{2})-([A-Za-z]{3})-(\\d{2}) (\\d{2}:\\d{2}:\\d{2}) GMT");
  private static final DateTimeFormatter RFC_850_FULL_YEAR =
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yyyy HH:mm:ss", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final RandomGenerator random;
  private final Duration base;
  private final Duration cap;
  private final Duration retryAfterCap;

  /**
   * {@code base} and {@code cap} shape the backoff; {@code retryAfterCap} bounds what an endpoint
   * may ask for with {@code Retry-After}.
   */
  public RetryPolicy(RandomGenerator random, Duration base, Duration cap, Duration retryAfterCap) {
    this.random = requireNonNull(random, "random is null");
    this.base = requirePositive(base, "base");
    this.cap = requirePositive(cap, "cap");
    this.retryAfterCap = requirePositive(retryAfterCap, "retryAfterCap");
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " is shorter than base " + base);
    }
  }

  /** Base 1 s, cap 5 min; a {@code Retry-After} is honoured up to one hour. */
  public static RetryPolicy standard(RandomGenerator random) {
    return new RetryPolicy(
        random, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1));
  }

  /**
   * Attempts a task may make past its max attempts before it is given up: only lapsed leases add
   * attempts past the max (a worker that died or stalled mid-call), and a node restarted a few
   * times must not fail the rows it was calling, but a row whose call brings its worker down every
   * time must not keep its run from finishing.
   */
  public static final int LAPSES_ALLOWED = 10;

  public static boolean isRetryable(String errorCode) {
    OptionalInt status = EndpointError.statusOf(errorCode);
    if (status.isPresent()) {
      return RETRYABLE_STATUSES.contains(status.getAsInt());
    }
    return RETRYABLE_ERRORS.stream().anyMatch(error -> error.name().equals(errorCode));
  }

  /**
   * A retry later for a retryable failure with attempts left, else a final failure. {@code attempt}
   * is the number of the attempt that just failed, counting from 1.
   */
  public AttemptOutcome decide(AttemptFailure failure, int attempt, int maxAttempts, Instant now) {
    requireNonNull(failure, "failure is null");
    requireNonNull(now, "now is null");
    if (!isRetryable(failure.errorCode()) || attempt >= maxAttempts) {
      return new AttemptOutcome.Failed(
          failure.errorCode(),
          failure.httpStatus(),
          failure.message(),
          failure.bodyPrefix(),
          failure.latency());
    }
    return new AttemptOutcome.RetryLater(
        failure.errorCode(),
        failure.httpStatus(),
        failure.message(),
        failure.bodyPrefix(),
        failure.latency(),
        now.plus(delay(failure, attempt, now)));
  }

  /** How long to wait before the next attempt: the endpoint's Retry-After, or the backoff. */
  public Duration delay(AttemptFailure failure, int attempt, Instant now) {
    return retryAfter(failure, now).orElseGet(() -> backoff(attempt));
  }

  /**
   * How long a 429 keeps the whole model from starting requests: the endpoint's Retry-After, or the
   * backoff's bound for this attempt without its jitter, so that the model is slowed even when the
   * failed task's own wait happens to come out short.
   */
  public Duration modelHold(AttemptFailure failure, int attempt, Instant now) {
    return retryAfter(failure, now).orElseGet(() -> backoffBound(attempt));
  }

  /** The endpoint's Retry-After, if it sent one that reads, at most the policy's cap. */
  private Optional<Duration> retryAfter(AttemptFailure failure, Instant now) {
    return failure
        .retryAfter()
        .flatMap(value -> parseRetryAfter(value, now))
        .map(wanted -> wanted.compareTo(retryAfterCap) > 0 ? retryAfterCap : wanted);
  }

  /** Full jitter: uniform between zero and {@link #backoffBound}. */
  public Duration backoff(int attempt) {
    return Duration.ofNanos(random.nextLong(backoffBound(attempt).toNanos() + 1));
  }

  /** {@code min(cap, base * 2^(attempt - 1))}. */
  public Duration backoffBound(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    long ceiling = cap.toNanos();
    long exponential = base.toNanos();
    for (int doubling = 1; doubling < attempt && exponential < ceiling; doubling++) {
      exponential = exponential > ceiling / 2 ? ceiling : exponential * 2;
    }
    return Duration.ofNanos(Math.min(exponential, ceiling));
  }

  /**
   * Delta-seconds ({@code 120}; too many to count, the longest duration there is) or an HTTP date
   * ({@code Wed, 21 Oct 2015 07:28:00 GMT}); a date already past means now. Empty for anything
   * else.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String text = value.trim();
    if (text.matches("\\d+")) {
      String digits = text.replaceFirst("^0+(?=\\d)", "");
      return Optional.of(
          digits.length() > 18
              ? Duration.ofSeconds(Long.MAX_VALUE)
              : Duration.ofSeconds(Long.parseLong(digits)));
    }
    return httpDate(text, now)
        .map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }

  private static Optional<Instant> httpDate(String text, Instant now) {
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        return Optional.of(ZonedDateTime.parse(text, format).toInstant());
      } catch (DateTimeParseException e) {
        // not this form; try the next
      }
    }
    Matcher rfc850 = RFC_850_DATE.matcher(text);
    if (!rfc850.matches()) {
      return Optional.empty();
    }
    // A two-digit year that would lie more than 50 years ahead is the most recent past year that
    // ends in the same digits (RFC 9110 section 5.6.7).
    int thisYear = now.atZone(ZoneOffset.UTC).getYear();
    int year = thisYear - Math.floorMod(thisYear, 100) + Integer.parseInt(rfc850.group(4));
    if (year > thisYear + 50) {
      year -= 100;
    }
    String fullYear =
        rfc850.group(1)
            + ", "
            + rfc850.group(2)
            + "-"
            + rfc850.group(3)
            + "-"
            + year
            + " "
            + rfc850.group(5);
    try {
      return Optional.of(ZonedDateTime.parse(fullYear, RFC_850_FULL_YEAR).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration requirePositive(Duration duration, String name) {
    requireNonNull(duration, name + " is null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
    return duration;
  }

  /**
   * A failed attempt before the policy has spoken: its code, status, message, the first KiB of the
   * body, how long it took and the endpoint's {@code Retry-After}, if any.
   */
  public record AttemptFailure(
      String errorCode,
      OptionalInt httpStatus,
      String message,
      String bodyPrefix,
      Duration latency,
      Optional<String> retryAfter) {
    public AttemptFailure {
      requireNonNull(errorCode, "errorCode is null");
      requireNonNull(httpStatus, "httpStatus is null");
      requireNonNull(message, "message is null");
      requireNonNull(bodyPrefix, "bodyPrefix is null");
      requireNonNull(latency, "latency is null");
      requireNonNull(retryAfter, "retryAfter is null");
    }
  }
}
