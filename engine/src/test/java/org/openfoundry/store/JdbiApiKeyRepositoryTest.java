package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

class JdbiApiKeyRepositoryTest {
  private Database database;
  private JdbiApiKeyRepository keys;

  @BeforeEach
  void open() throws IOException {
    Path folder = Files.createTempDirectory("foundry-keys-test");
    database = Database.open(DatabaseConfig.sqlite(folder.resolve("foundry.db")));
    keys = new JdbiApiKeyRepository(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static ApiKey key(String id, ApiKeyRole role, String prefix, char hash) {
    return new ApiKey(
        new ApiKeyId("key_" + id),
        "key " + id,
        role,
        prefix,
        String.valueOf(hash).repeat(64),
        Instant.parse("2025-01-01T00:00:00Z"),
        Optional.empty());
  }

  @Test
  void keeps_keys_and_finds_them_by_id_and_prefix() {
    ApiKey admin = key("01A", ApiKeyRole.ADMIN, "ofk_aaaaaaaa", 'a');
    keys.insert(admin);
    keys.insert(key("01B", ApiKeyRole.MEMBER, "ofk_bbbbbbbb", 'b'));

    assertThat(keys.find(admin.id())).contains(admin);
    assertThat(keys.findByPrefix("ofk_aaaaaaaa")).containsExactly(admin);
    assertThat(keys.findByPrefix("ofk_cccccccc")).isEmpty();
    assertThat(keys.countActive(ApiKeyRole.ADMIN)).isEqualTo(1);
  }

  @Test
  void revoking_is_recorded_once_and_counts_only_active_keys() {
    ApiKey member = key("01C", ApiKeyRole.MEMBER, "ofk_cccccccc", 'c');
    keys.insert(member);
    Instant first = Instant.parse("2025-02-01T00:00:00Z");

    assertThat(keys.revoke(member.id(), first)).isTrue();
    assertThat(keys.revoke(member.id(), first.plusSeconds(60))).isTrue();
    assertThat(keys.revoke(new ApiKeyId("key_01NONE"), first)).isFalse();

    assertThat(keys.find(member.id()).orElseThrow().revokedAt()).contains(first);
    assertThat(keys.countActive(ApiKeyRole.MEMBER)).isZero();
  }

  @Test
  void lists_keys_in_id_order_page_by_page() {
    keys.insert(key("01D", ApiKeyRole.MEMBER, "ofk_dddddddd", 'd'));
    keys.insert(key("01E", ApiKeyRole.MEMBER, "ofk_eeeeeeee", 'e'));
    keys.insert(key("01F", ApiKeyRole.MEMBER, "ofk_ffffffff", 'f'));

    Page<ApiKey> first = keys.list(PageRequest.first(2));
    Page<ApiKey> second = keys.list(first.nextRequest(2).orElseThrow());

    assertThat(first.items())
        .extracting(key -> key.id().value())
        .containsExactly("key_01D", "key_01E");
    assertThat(second.items()).extracting(key -> key.id().value()).containsExactly("key_01F");
    assertThat(second.next()).isEmpty();
  }
}
