package org.openfoundry.dispatch;

import java.time.Clock;
import java.time.Instant;
import org.openfoundry.ratelimit.RateLimiter;

/**
 * What a failed attempt comes to, however the model was called: the retry policy decides, and a 429
 * holds the whole model back in the rate limiter, not just this task.
 */
final class Failures {
  private final RetryPolicy retryPolicy;
  private final RateLimiter rateLimiter;
  private final Clock clock;

  Failures(RetryPolicy retryPolicy, RateLimiter rateLimiter, Clock clock) {
    this.retryPolicy = retryPolicy;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
  }

  AttemptOutcome decide(LeasedTask task, int maxAttempts, RetryPolicy.AttemptFailure failure) {
    Instant now = clock.instant();
    // Since the run's failed tasks were last retried, if they were: each retry gets the budget
    // anew.
    int attempt = task.attempt() - task.attemptsBeforeRetry();
    AttemptOutcome outcome = retryPolicy.decide(failure, attempt, maxAttempts, now);
    ModelHold.after(rateLimiter, retryPolicy, task.modelId(), failure, attempt, now);
    return outcome;
  }
}
