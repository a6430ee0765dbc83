package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a dispatcher works the queue. {@code owner} names this node on its leases; leases last {@code
 * leaseDuration} and are renewed once half of it is left; at most {@code claimBatchSize} tasks are
 * claimed per model in one claim, with rate slots reserved up to {@code horizon} ahead; cycles run
 * at least every {@code pollInterval}; completions are written in batches of up to {@code
 * completionBatchSize}, waiting at most {@code completionLinger} to fill one; closing lets calls
 * finish for up to {@code shutdownGrace}; a run's context is dropped from the cache after {@code
 * contextIdleTime} without use.
 */
public record DispatcherConfig(
    String owner,
    Duration leaseDuration,
    int claimBatchSize,
    Duration horizon,
    Duration pollInterval,
    int completionBatchSize,
    Duration completionLinger,
    Duration shutdownGrace,
    Duration contextIdleTime) {

  public DispatcherConfig {
    requireNonNull(owner, "owner is null");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
    requirePositive(leaseDuration, "leaseDuration");
    requirePositive(pollInterval, "pollInterval");
    requireNotNegative(horizon, "horizon");
    requireNotNegative(completionLinger, "completionLinger");
    requireNotNegative(shutdownGrace, "shutdownGrace");
    requirePositive(contextIdleTime, "contextIdleTime");
    if (claimBatchSize < 1) {
      throw new IllegalArgumentException("claimBatchSize must be >= 1, got " + claimBatchSize);
    }
    if (completionBatchSize < 1) {
      throw new IllegalArgumentException(
          "completionBatchSize must be >= 1, got " + completionBatchSize);
    }
    if (pollInterval.compareTo(leaseDuration.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "pollInterval ("
              + pollInterval
              + ") must be shorter than half the lease ("
              + leaseDuration
              + ") so that leases are renewed in time");
    }
  }

  /**
   * Leases of 60 s, up to 32 claims per model per claim, a 2 s horizon, cycles every 500 ms,
   * completions in batches of 64 within 20 ms, 30 s of grace on close, contexts kept 10 min after
   * last use. A full claim batch that leaves room under the model's cap is followed by another
   * claim at once, and a claim batch's worth of completions is written without waiting for more
   * (see docs/performance.md, "Run engine").
   */
  public static DispatcherConfig defaults(String owner) {
    return new DispatcherConfig(
        owner,
        Duration.ofSeconds(60),
        32,
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        64,
        Duration.ofMillis(20),
        Duration.ofSeconds(30),
        Duration.ofMinutes(10));
  }

  /** Leases with less than this left are renewed. */
  public Duration renewWhenLeft() {
    return leaseDuration.dividedBy(2);
  }

  public DispatcherConfig withLeaseDuration(Duration lease) {
    return new DispatcherConfig(
        owner,
        lease,
        claimBatchSize,
        horizon,
        pollInterval,
        completionBatchSize,
        completionLinger,
        shutdownGrace,
        contextIdleTime);
  }

  /**
   * Both at once, since either alone is checked against the other's current value: a short lease
   * with a short poll, or a long poll with a long lease.
   */
  public DispatcherConfig withLeaseAndPollInterval(Duration lease, Duration interval) {
    return new DispatcherConfig(
        owner,
        lease,
        claimBatchSize,
        horizon,
        interval,
        completionBatchSize,
        completionLinger,
        shutdownGrace,
        contextIdleTime);
  }

  public DispatcherConfig withPollInterval(Duration interval) {
    return withLeaseAndPollInterval(leaseDuration, interval);
  }

  public DispatcherConfig withHorizon(Duration reach) {
    return new DispatcherConfig(
        owner,
        leaseDuration,
        claimBatchSize,
        reach,
        pollInterval,
        completionBatchSize,
        completionLinger,
        shutdownGrace,
        contextIdleTime);
  }

  public DispatcherConfig withShutdownGrace(Duration grace) {
    return new DispatcherConfig(
        owner,
        leaseDuration,
        claimBatchSize,
        horizon,
        pollInterval,
        completionBatchSize,
        completionLinger,
        grace,
        contextIdleTime);
  }

  private static void requirePositive(Duration duration, String name) {
    requireNotNegative(duration, name);
    if (duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }

  private static void requireNotNegative(Duration duration, String name) {
    requireNonNull(duration, name + " is null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + duration);
    }
  }
}
