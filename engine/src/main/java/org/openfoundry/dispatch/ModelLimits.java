package org.openfoundry.dispatch;

import java.util.OptionalDouble;

/** A model's concurrency cap and rate, as the dispatcher applies them before claiming. */
record ModelLimits(int maxConcurrency, OptionalDouble requestsPerSecond) {
  ModelLimits {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
  }

  static ModelLimits of(EndpointCall call) {
    return new ModelLimits(call.maxConcurrency(), call.requestsPerSecond());
  }

  /** The lower cap and the lower rate of the two: runs pinned to different versions share both. */
  ModelLimits stricter(ModelLimits other) {
    OptionalDouble rate = requestsPerSecond;
    if (other.requestsPerSecond.isPresent()
        && (rate.isEmpty() || other.requestsPerSecond.getAsDouble() < rate.getAsDouble())) {
      rate = other.requestsPerSecond;
    }
    return new ModelLimits(Math.min(maxConcurrency, other.maxConcurrency), rate);
  }
}
