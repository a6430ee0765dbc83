package org.openfoundry.dispatch;

import java.time.Instant;
import org.openfoundry.models.ModelId;
import org.openfoundry.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a 429 does besides retrying its own task: it holds the whole model back in the rate limiter,
 * for the endpoint's {@code Retry-After} or the backoff's whole bound, on every caller alike (batch
 * tasks and chat calls).
 */
public final class ModelHold {
  private static final Logger log = LoggerFactory.getLogger(ModelHold.class);
  private static final int TOO_MANY_REQUESTS = 429;

  private ModelHold() {}

  /**
   * Holds the model back when the failure is a 429. The hold only paces the model's next calls, so
   * a limiter that cannot record it (the database away, for a limiter kept there) is logged and the
   * failure's own decision stands: the task is still retried.
   */
  public static void after(
      RateLimiter rateLimiter,
      RetryPolicy retryPolicy,
      ModelId model,
      RetryPolicy.AttemptFailure failure,
      int attempt,
      Instant now) {
    if (failure.httpStatus().orElse(0) != TOO_MANY_REQUESTS) {
      return;
    }
    try {
      rateLimiter.holdFor(model, retryPolicy.modelHold(failure, attempt, now));
    } catch (RuntimeException e) {
      log.warn(
          "could not hold model {} back after a 429; its calls go on at the rate limit's pace",
          model,
          e);
    }
  }
}
