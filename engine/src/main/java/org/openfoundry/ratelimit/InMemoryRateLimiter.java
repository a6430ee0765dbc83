package org.openfoundry.ratelimit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openfoundry.models.ModelId;

/**
 * GCRA in memory, for a single node: each model keeps its theoretical arrival time (TAT), the
 * earliest instant its next request may start. A reservation hands out {@code max(TAT, now)}, then
 * {@code +T}, {@code +2T}, ... where {@code T = 1 / requestsPerSecond}, as long as they fall within
 * the horizon, and moves the TAT past the last one handed out.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Clock clock;
  private final Map<ModelId, Instant> theoreticalArrival = new ConcurrentHashMap<>();
  private final Map<ModelId, Latest> latest = new ConcurrentHashMap<>();

  /**
   * A model's latest reservation: the thread that made it, the TAT it left, the interval, and how
   * many slots it took.
   */
  private record Latest(Thread owner, Instant end, Duration interval, int slots) {}

  public InMemoryRateLimiter(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public List<Duration> reserve(
      ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
    requireNonNull(model, "model is null");
    requireNonNull(horizon, "horizon is null");
    Duration interval = emissionInterval(requestsPerSecond);
    if (wanted < 0) {
      throw new IllegalArgumentException("wanted must be >= 0, got " + wanted);
    }
    if (horizon.isNegative()) {
      throw new IllegalArgumentException("horizon must not be negative, got " + horizon);
    }
    List<Duration> delays = new ArrayList<>(Math.min(wanted, 1024));
    theoreticalArrival.compute(
        model,
        (key, stored) -> {
          Instant now = clock.instant();
          Instant next = stored == null || stored.isBefore(now) ? now : stored;
          Instant last = now.plus(horizon);
          while (delays.size() < wanted && !next.isAfter(last)) {
            delays.add(Duration.between(now, next));
            next = next.plus(interval);
          }
          if (!delays.isEmpty()) {
            latest.put(key, new Latest(Thread.currentThread(), next, interval, delays.size()));
          }
          return next;
        });
    return List.copyOf(delays);
  }

  @Override
  public void release(ModelId model, int unused) {
    requireNonNull(model, "model is null");
    Latest reservation = latest.get(model);
    if (reservation == null || reservation.owner() != Thread.currentThread()) {
      return;
    }
    latest.remove(model, reservation);
    if (unused < 1) {
      return;
    }
    Duration refund = reservation.interval().multipliedBy(Math.min(unused, reservation.slots()));
    theoreticalArrival.computeIfPresent(
        model, (key, stored) -> stored.equals(reservation.end()) ? stored.minus(refund) : stored);
  }

  @Override
  public void holdFor(ModelId model, Duration delay) {
    requireNonNull(model, "model is null");
    requireNonNull(delay, "delay is null");
    if (delay.isNegative() || delay.isZero()) {
      return;
    }
    // A hold makes the latest reservation's slots unreturnable even when it left the TAT where it
    // was: handing them back would move the model's next start before the hold.
    latest.remove(model);
    theoreticalArrival.compute(
        model,
        (key, stored) -> {
          Instant until = clock.instant().plus(delay);
          return stored == null || stored.isBefore(until) ? until : stored;
        });
  }

  /** {@code 1 / requestsPerSecond}, to the nanosecond; 0.1 gives ten seconds. */
  public static Duration emissionInterval(double requestsPerSecond) {
    if (!Double.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be a positive number, got " + requestsPerSecond);
    }
    double nanos = NANOS_PER_SECOND / requestsPerSecond;
    if (nanos >= Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "requestsPerSecond is too small to space requests, got " + requestsPerSecond);
    }
    return Duration.ofNanos(Math.max(1L, Math.round(nanos)));
  }
}
