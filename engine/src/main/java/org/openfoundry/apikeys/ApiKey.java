package org.openfoundry.apikeys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored API key: its id, name and role, the first characters of the key (to find it and to help
 * people tell keys apart), the SHA-256 of the whole key, and when it was created and revoked.
 */
public record ApiKey(
    ApiKeyId id,
    String name,
    ApiKeyRole role,
    String prefix,
    String sha256,
    Instant createdAt,
    Optional<Instant> revokedAt) {

  public ApiKey {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(role, "role is null");
    requireNonNull(prefix, "prefix is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(revokedAt, "revokedAt is null");
    if (sha256.length() != 64) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits");
    }
  }

  public boolean isActive() {
    return revokedAt.isEmpty();
  }

  @Override
  public String toString() {
    return "ApiKey[" + id + ", " + name + ", " + role.word() + "]";
  }
}
