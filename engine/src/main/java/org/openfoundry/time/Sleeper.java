package org.openfoundry.time;

import java.time.Duration;

/**
 * Waiting as a dependency, so that tests can hold or skip a wait (or step a clock) instead of
 * sitting it out: the dispatcher between cycles, chat calls before their start slot or a retry,
 * adapters between polls of a vendor's prediction.
 */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Waits in real time on the calling thread; cheap on a virtual thread. */
  static Sleeper system() {
    return Thread::sleep;
  }
}
