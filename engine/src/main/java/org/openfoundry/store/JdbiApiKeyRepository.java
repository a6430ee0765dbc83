package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRepository;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/** API keys in the store: hashes only. */
public final class JdbiApiKeyRepository implements ApiKeyRepository {
  private static final String COLUMNS = "id, name, role, prefix, sha256, created_at, revoked_at";

  private final Database database;

  public JdbiApiKeyRepository(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  @Override
  public void insert(ApiKey key) {
    database.write(
        handle ->
            handle
                .createUpdate(
                    "INSERT INTO api_keys ("
                        + COLUMNS
                        + ") VALUES (:id, :name, :role, :prefix, :sha256, :created, :revoked)")
                .bind("id", key.id().value())
                .bind("name", key.name())
                .bind("role", key.role().name())
                .bind("prefix", key.prefix())
                .bind("sha256", key.sha256())
                .bind("created", key.createdAt().toEpochMilli())
                .bind("revoked", key.revokedAt().map(Instant::toEpochMilli).orElse(null))
                .execute());
  }

  @Override
  public Optional<ApiKey> find(ApiKeyId id) {
    return database.read(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
                .bind("id", id.value())
                .map((resultSet, context) -> key(resultSet))
                .findOne());
  }

  @Override
  public List<ApiKey> findByPrefix(String prefix) {
    return database.read(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE prefix = :prefix")
                .bind("prefix", prefix)
                .map((resultSet, context) -> key(resultSet))
                .list());
  }

  @Override
  public Page<ApiKey> list(PageRequest page) {
    Optional<String> after = Cursors.decode(page.cursor());
    List<ApiKey> rows =
        database.read(
            handle ->
                handle
                    .createQuery(
                        "SELECT "
                            + COLUMNS
                            + " FROM api_keys WHERE id > :after ORDER BY id LIMIT :limit")
                    .bind("after", after.orElse(""))
                    .bind("limit", page.limit() + 1)
                    .map((resultSet, context) -> key(resultSet))
                    .list());
    return Pages.of(rows, page, key -> Cursors.encode(key.id().value()));
  }

  @Override
  public boolean revoke(ApiKeyId id, Instant at) {
    return database.write(
        handle -> {
          handle
              .createUpdate(
                  "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
              .bind("at", at.toEpochMilli())
              .bind("id", id.value())
              .execute();
          return handle
                  .createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id")
                  .bind("id", id.value())
                  .mapTo(Long.class)
                  .one()
              > 0;
        });
  }

  @Override
  public long countActive(ApiKeyRole role) {
    return database.read(
        handle ->
            handle
                .createQuery(
                    "SELECT COUNT(*) FROM api_keys WHERE role = :role AND revoked_at IS NULL")
                .bind("role", role.name())
                .mapTo(Long.class)
                .one());
  }

  private static ApiKey key(ResultSet resultSet) throws SQLException {
    long revoked = resultSet.getLong("revoked_at");
    Optional<Instant> revokedAt =
        resultSet.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
    return new ApiKey(
        new ApiKeyId(resultSet.getString("id")),
        resultSet.getString("name"),
        ApiKeyRole.valueOf(resultSet.getString("role")),
        resultSet.getString("prefix"),
        resultSet.getString("sha256"),
        Instant.ofEpochMilli(resultSet.getLong("created_at")),
        revokedAt);
  }
}
