package org.openfoundry.adapters;

import java.time.Duration;

/** Waits between polls; tests step a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration);

  /** Parks the calling (virtual) thread; the interrupt is kept for the caller to see. */
  static Sleeper threadSleep() {
    return duration -> {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to poll", e);
      }
    };
  }
}
