package org.openfoundry.apikeys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/** Where API keys are kept (hashes only). */
public interface ApiKeyRepository {
  void insert(ApiKey key);

  Optional<ApiKey> find(ApiKeyId id);

  /** Keys, active or revoked, whose stored prefix is exactly this one. */
  List<ApiKey> findByPrefix(String prefix);

  /** Keys in creation order (oldest first), one page at a time. */
  Page<ApiKey> list(PageRequest page);

  /** Marks the key revoked at {@code at}; false when there is no such key. Idempotent. */
  boolean revoke(ApiKeyId id, Instant at);

  /** How many keys with this role are not revoked. */
  long countActive(ApiKeyRole role);
}
