package org.openfoundry.server.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRepository;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/** API keys in a map, for tests of what sits above the store. */
public final class InMemoryApiKeyRepository implements ApiKeyRepository {
  private final Map<ApiKeyId, ApiKey> keys = new LinkedHashMap<>();

  @Override
  public synchronized void insert(ApiKey key) {
    keys.put(key.id(), key);
  }

  @Override
  public synchronized Optional<ApiKey> find(ApiKeyId id) {
    return Optional.ofNullable(keys.get(id));
  }

  @Override
  public synchronized List<ApiKey> findByPrefix(String prefix) {
    return keys.values().stream().filter(key -> key.prefix().equals(prefix)).toList();
  }

  @Override
  public synchronized Page<ApiKey> list(PageRequest page) {
    List<ApiKey> after =
        keys.values().stream()
            .filter(
                key ->
                    page.cursor()
                        .map(cursor -> key.id().value().compareTo(cursor) > 0)
                        .orElse(true))
            .toList();
    List<ApiKey> items = new ArrayList<>(after.subList(0, Math.min(page.limit(), after.size())));
    Optional<String> next =
        after.size() > page.limit() ? Optional.of(items.getLast().id().value()) : Optional.empty();
    return new Page<>(items, next);
  }

  @Override
  public synchronized boolean revoke(ApiKeyId id, Instant at) {
    ApiKey key = keys.get(id);
    if (key == null) {
      return false;
    }
    if (key.isActive()) {
      keys.put(
          id,
          new ApiKey(
              key.id(),
              key.name(),
              key.role(),
              key.prefix(),
              key.sha256(),
              key.createdAt(),
              Optional.of(at)));
    }
    return true;
  }

  @Override
  public synchronized long countActive(ApiKeyRole role) {
    return keys.values().stream().filter(key -> key.role() == role && key.isActive()).count();
  }
}
