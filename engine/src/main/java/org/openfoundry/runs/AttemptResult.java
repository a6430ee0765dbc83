package org.openfoundry.runs;

/** How one attempt of a task ended. */
public enum AttemptResult {
  /** The endpoint answered and the answer was kept. */
  SUCCEEDED,
  /** It failed in a way worth another attempt after a backoff. */
  RETRY,
  /** It failed for good. */
  FAILED,
  /** The worker holding the lease went silent; the task went back to the queue. */
  LEASE_EXPIRED
}
