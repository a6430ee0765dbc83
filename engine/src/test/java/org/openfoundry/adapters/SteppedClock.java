package org.openfoundry.adapters;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openfoundry.time.Sleeper;

/** A clock that moves only when its sleeper sleeps, recording every sleep. */
final class SteppedClock extends Clock {
  private volatile Instant now = Instant.parse("2026-01-05T09:00:00Z");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  Sleeper sleeper() {
    return duration -> {
      sleeps.add(duration);
      now = now.plus(duration);
    };
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
