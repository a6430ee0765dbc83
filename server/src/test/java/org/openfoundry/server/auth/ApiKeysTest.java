package org.openfoundry.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.models.SecretValue;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.Access;

class ApiKeysTest {
  private final InMemoryApiKeyRepository store = new InMemoryApiKeyRepository();
  private final ApiKeys keys =
      new ApiKeys(
          store,
          Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC),
          new SecureRandom());

  @Test
  void stores_only_the_hash_and_accepts_the_plain_key_once_shown() {
    ApiKeys.Created created = keys.create("ci", ApiKeyRole.MEMBER);
    String plain = created.plain().reveal();

    assertThat(plain).startsWith(ApiKeys.KEY_PREFIX).hasSize(ApiKeys.KEY_PREFIX.length() + 43);
    assertThat(created.key().sha256()).doesNotContain(plain.substring(4)).hasSize(64);
    assertThat(created.key().prefix()).isEqualTo(plain.substring(0, ApiKeys.PREFIX_LENGTH));
    assertThat(keys.authenticate(plain)).contains(created.key());
  }

  @Test
  void refuses_a_key_that_differs_in_one_character_or_is_too_short() {
    String plain = keys.create("ci", ApiKeyRole.MEMBER).plain().reveal();
    char last = plain.charAt(plain.length() - 1);
    String altered = plain.substring(0, plain.length() - 1) + (last == 'A' ? 'B' : 'A');

    assertThat(keys.authenticate(altered)).isEmpty();
    assertThat(keys.authenticate(plain.substring(0, 20))).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
  }

  @Test
  void a_revoked_key_no_longer_authenticates() {
    keys.create("admin", ApiKeyRole.ADMIN);
    ApiKeys.Created member = keys.create("ci", ApiKeyRole.MEMBER);

    ApiKey revoked = keys.revoke(member.key().id());

    assertThat(revoked.revokedAt()).contains(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(keys.authenticate(member.plain().reveal())).isEmpty();
  }

  @Test
  void refuses_to_revoke_the_last_active_admin_key() {
    ApiKeys.Created admin = keys.create("admin", ApiKeyRole.ADMIN);

    assertThatThrownBy(() -> keys.revoke(admin.key().id()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            conflict -> assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThat(keys.authenticate(admin.plain().reveal())).isPresent();
  }

  @Test
  void generates_a_first_admin_key_once_and_never_again() {
    Optional<SecretValue> first = keys.ensureAdmin(Optional.empty());
    Optional<SecretValue> second = keys.ensureAdmin(Optional.empty());

    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(keys.authenticate(first.orElseThrow().reveal()))
        .hasValueSatisfying(key -> assertThat(key.role()).isEqualTo(ApiKeyRole.ADMIN));
    assertThat(keys.list(PageRequest.first(10)).items()).hasSize(1);
  }

  @Test
  void accepts_the_configured_admin_key_and_prints_none() {
    SecretValue configured = new SecretValue("an-admin-key-from-the-environment-0123456789");

    assertThat(keys.ensureAdmin(Optional.of(configured))).isEmpty();
    assertThat(keys.ensureAdmin(Optional.of(configured))).isEmpty();

    assertThat(keys.authenticate(configured.reveal())).isPresent();
    assertThat(keys.list(PageRequest.first(10)).items()).hasSize(1);
  }

  @Test
  void roles_allow_the_routes_they_should_and_no_others() {
    assertThat(AccessCheck.allows(ApiKeyRole.ADMIN, Access.ADMIN)).isTrue();
    assertThat(AccessCheck.allows(ApiKeyRole.MEMBER, Access.MEMBER)).isTrue();
    assertThat(AccessCheck.allows(ApiKeyRole.MEMBER, Access.ADMIN)).isFalse();
    assertThat(AccessCheck.allows(ApiKeyRole.METRICS, Access.METRICS)).isTrue();
    assertThat(AccessCheck.allows(ApiKeyRole.METRICS, Access.MEMBER)).isFalse();
    assertThat(AccessCheck.allows(ApiKeyRole.METRICS, Access.ADMIN)).isFalse();
  }
}
