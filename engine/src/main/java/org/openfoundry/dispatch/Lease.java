package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A worker's claim on a task until {@code expiresAt}. The token fences writes: an outcome is
 * applied only while the task is still leased under this exact token, so a late answer from an
 * expired lease can never overwrite or duplicate a result.
 */
public record Lease(String owner, String token, Instant expiresAt) {
  public Lease {
    requireNonNull(owner, "owner is null");
    requireNonNull(token, "token is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }
}
