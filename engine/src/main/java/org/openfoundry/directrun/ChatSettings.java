package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a chat call may wait in all for a concurrency slot, a rate slot and retries before it
 * gives up, since a person is waiting on it.
 */
public record ChatSettings(Duration maxWait) {
  public ChatSettings {
    requireNonNull(maxWait, "maxWait is null");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
  }

  /** A minute of waiting at most. */
  public static ChatSettings defaults() {
    return new ChatSettings(Duration.ofMinutes(1));
  }
}
