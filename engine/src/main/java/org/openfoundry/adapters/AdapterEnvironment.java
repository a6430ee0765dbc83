package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.openfoundry.chat.ImageFetcher;
import org.openfoundry.time.Sleeper;

/**
 * What adapters need from the platform: a clock and a sleeper for polling, and an image fetcher
 * (under the outbound rules) with its size cap, for vendors that take images inline only.
 */
public record AdapterEnvironment(
    Clock clock, Sleeper sleeper, ImageFetcher images, long maxImageBytes) {
  public AdapterEnvironment {
    requireNonNull(clock, "clock is null");
    requireNonNull(sleeper, "sleeper is null");
    requireNonNull(images, "images is null");
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("maxImageBytes must be >= 1, got " + maxImageBytes);
    }
  }
}
