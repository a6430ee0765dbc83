package org.openfoundry.server.auth;

import static java.util.Objects.requireNonNull;

import com.github.f4b6a3.ulid.UlidCreator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRepository;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.models.SecretValue;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/** Creates, checks, lists and revokes API keys. Plain keys exist only in the answer to create. */
public final class ApiKeys {
  /** Every generated key starts with this, so that it can be recognised in a leak scan. */
  public static final String KEY_PREFIX = "ofk_";

  static final int PREFIX_LENGTH = 12;
  private static final int MIN_LENGTH = 32;

  private final ApiKeyRepository store;
  private final Clock clock;
  private final SecureRandom random;

  public ApiKeys(ApiKeyRepository store, Clock clock, SecureRandom random) {
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.random = requireNonNull(random, "random is null");
  }

  /** A key just created: the stored record and the plain key, which is never available again. */
  public record Created(ApiKey key, SecretValue plain) {
    public Created {
      requireNonNull(key, "key is null");
      requireNonNull(plain, "plain is null");
    }
  }

  public Created create(String name, ApiKeyRole role) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String plain = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Created(store(name, role, plain), new SecretValue(plain));
  }

  /** The active key that matches the presented one, compared in constant time. */
  public Optional<ApiKey> authenticate(String presented) {
    if (presented == null || presented.length() < MIN_LENGTH) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    return store.findByPrefix(presented.substring(0, PREFIX_LENGTH)).stream()
        .filter(
            candidate -> MessageDigest.isEqual(hash, HexFormat.of().parseHex(candidate.sha256())))
        .filter(ApiKey::isActive)
        .findFirst();
  }

  public Page<ApiKey> list(PageRequest page) {
    return store.list(page);
  }

  public ApiKey get(ApiKeyId id) {
    return store
        .find(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no API key with id " + id));
  }

  /** Revokes the key; revoking the last active admin key is refused so nobody is locked out. */
  public ApiKey revoke(ApiKeyId id) {
    ApiKey key = get(id);
    if (key.isActive()
        && key.role() == ApiKeyRole.ADMIN
        && store.countActive(ApiKeyRole.ADMIN) == 1) {
      throw new FoundryException(
          ErrorCode.CONFLICT,
          "cannot revoke the last active admin key " + id + "; create another admin key first");
    }
    store.revoke(id, clock.instant());
    return get(id);
  }

  /**
   * Makes sure an admin can get in. A key from the configuration is stored (once) and accepted;
   * otherwise, when no active admin key exists (first start), one is generated and returned so that
   * the caller prints it, once.
   */
  public Optional<SecretValue> ensureAdmin(Optional<SecretValue> configured) {
    if (configured.isPresent()) {
      String plain = configured.get().reveal();
      if (authenticate(plain).isEmpty()) {
        store("admin key from the configuration", ApiKeyRole.ADMIN, plain);
      }
      return Optional.empty();
    }
    if (store.countActive(ApiKeyRole.ADMIN) > 0) {
      return Optional.empty();
    }
    return Optional.of(create("first admin key", ApiKeyRole.ADMIN).plain());
  }

  private ApiKey store(String name, ApiKeyRole role, String plain) {
    if (name.isBlank() || name.length() > 200) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid API key name",
          List.of(Problem.error("name", "expected a name of 1 to 200 characters")));
    }
    ApiKey key =
        new ApiKey(
            new ApiKeyId(ApiKeyId.PREFIX + UlidCreator.getMonotonicUlid()),
            name,
            role,
            plain.substring(0, PREFIX_LENGTH),
            HexFormat.of().formatHex(sha256(plain)),
            clock.instant(),
            Optional.empty());
    store.insert(key);
    return key;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("every JDK has SHA-256", missing);
    }
  }
}
