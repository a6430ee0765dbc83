package org.openfoundry.dispatch;

import java.time.Duration;

/** Waiting as a dependency, so that tests can hold or skip a wait instead of sitting it out. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Waits in real time on the calling thread; cheap on a virtual thread. */
  static Sleeper system() {
    return Thread::sleep;
  }
}
