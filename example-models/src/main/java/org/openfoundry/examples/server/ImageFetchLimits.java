package org.openfoundry.examples.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds on fetching a row's image: the largest download, the most pixels decoded, the time to
 * connect and the time for the whole fetch.
 */
public record ImageFetchLimits(
    long maxBytes, long maxPixels, Duration connectTimeout, Duration totalTimeout) {

  public ImageFetchLimits {
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(totalTimeout, "totalTimeout is null");
    if (maxBytes < 1 || maxPixels < 1) {
      throw new IllegalArgumentException(
          "image limits must be positive, got " + maxBytes + " bytes and " + maxPixels + " pixels");
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || totalTimeout.isNegative()
        || totalTimeout.isZero()) {
      throw new IllegalArgumentException("image fetch timeouts must be positive");
    }
  }

  /** 16 MiB, 4096 × 4096 pixels, 5 s to connect, 20 s in all. */
  public static ImageFetchLimits defaults() {
    return new ImageFetchLimits(
        16L << 20, 4096L * 4096, Duration.ofSeconds(5), Duration.ofSeconds(20));
  }
}
