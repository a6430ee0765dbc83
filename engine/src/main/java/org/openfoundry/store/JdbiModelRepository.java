package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.models.SecretChange;
import org.openfoundry.models.SecretValue;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.secrets.SealedSecret;
import org.openfoundry.secrets.SecretBox;
import tools.jackson.databind.node.ObjectNode;

/** Models and versions in the store; secrets are sealed with the model id as associated data. */
final class JdbiModelRepository implements ModelRepository {
  private static final String SELECT_MODEL =
      """
      SELECT m.id, m.name, m.latest_version, m.created_at, m.updated_at, m.archived_at,
             v.id AS latest_version_id
      FROM models m
      JOIN model_versions v ON v.model_id = m.id AND v.version = m.latest_version
      """;
  private static final String SELECT_VERSION =
      "SELECT id, model_id, version, manifest, secret, created_at FROM model_versions ";

  private final Database database;
  private final SecretBox secrets;
  private final Clock clock;

  JdbiModelRepository(Database database, SecretBox secrets, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Model create(String name, ObjectNode manifest, Optional<SecretValue> secret) {
    requireNonNull(manifest, "manifest is null");
    String checkedName = checkName(name);
    secret.ifPresent(JdbiModelRepository::checkSecret);
    ModelId id = Ids.model();
    ModelVersionId versionId = Ids.modelVersion();
    byte[] sealedSecret = secret.map(value -> secrets.seal(value, id.value()).bytes()).orElse(null);
    long now = clock.millis();
    return database.write(
        handle -> {
          findByName(handle, checkedName)
              .ifPresent(
                  taken -> {
                    throw nameTaken(checkedName, taken);
                  });
          handle
              .createUpdate(
                  """
                  INSERT INTO models (id, name, latest_version, created_at, updated_at)
                  VALUES (:id, :name, 1, :now, :now)
                  """)
              .bind("id", id.value())
              .bind("name", checkedName)
              .bind("now", now)
              .execute();
          insertVersion(handle, versionId, id, 1, manifest, sealedSecret, now);
          return model(handle, id).orElseThrow();
        });
  }

  @Override
  public ModelVersion addVersion(ModelId model, ObjectNode manifest, SecretChange secret) {
    requireNonNull(manifest, "manifest is null");
    requireNonNull(secret, "secret is null");
    if (secret instanceof SecretChange.Replace replace) {
      checkSecret(replace.secret());
    }
    ModelVersionId versionId = Ids.modelVersion();
    byte[] replacement =
        secret instanceof SecretChange.Replace replace
            ? secrets.seal(replace.secret(), model.value()).bytes()
            : null;
    long now = clock.millis();
    return database.write(
        handle -> {
          Model current = lockModel(handle, model);
          if (current.isArchived()) {
            throw new FoundryException(
                ErrorCode.CONFLICT, "model " + model + " is archived: it takes no new versions");
          }
          byte[] sealedSecret =
              switch (secret) {
                case SecretChange.Keep keep -> previousSecret(handle, current);
                case SecretChange.Replace replace -> replacement;
                case SecretChange.Remove remove -> null;
              };
          int version = current.latestVersion() + 1;
          insertVersion(handle, versionId, model, version, manifest, sealedSecret, now);
          handle
              .createUpdate(
                  "UPDATE models SET latest_version = :version, updated_at = :now WHERE id = :id")
              .bind("version", version)
              .bind("now", now)
              .bind("id", model.value())
              .execute();
          return version(handle, versionId).orElseThrow();
        });
  }

  @Override
  public Optional<Model> get(ModelId id) {
    return database.read(handle -> model(handle, id));
  }

  @Override
  public Optional<Model> findByName(String name) {
    return database.read(handle -> findByName(handle, name));
  }

  @Override
  public Page<Model> list(PageRequest page) {
    Optional<String> after = Cursors.decode(page.cursor());
    List<Model> rows =
        database.read(
            handle ->
                handle
                    .createQuery(
                        SELECT_MODEL
                            + """
                            WHERE m.archived_at IS NULL AND m.id > :after
                            ORDER BY m.id
                            LIMIT :limit
                            """)
                    .bind("after", after.orElse(""))
                    .bind("limit", page.limit() + 1)
                    .map((resultSet, context) -> model(resultSet))
                    .list());
    return Pages.of(rows, page, model -> Cursors.encode(model.id().value()));
  }

  @Override
  public List<ModelVersion> versions(ModelId model) {
    return database.read(
        handle ->
            handle
                .createQuery(SELECT_VERSION + "WHERE model_id = :model ORDER BY version")
                .bind("model", model.value())
                .map((resultSet, context) -> version(resultSet))
                .list());
  }

  @Override
  public Optional<ModelVersion> version(ModelVersionId id) {
    return database.read(handle -> version(handle, id));
  }

  /** Refuses a secret that could not be sent as the header value it is stored for. */
  private static void checkSecret(SecretValue secret) {
    secret
        .headerProblem()
        .ifPresent(
            problem -> {
              throw new FoundryException(
                  ErrorCode.INVALID_INPUT,
                  "secret: " + problem,
                  List.of(Problem.error("secret", problem)));
            });
  }

  @Override
  public Optional<SecretValue> openSecret(ModelVersion version) {
    return version
        .secret()
        .map(sealedSecret -> secrets.open(sealedSecret, version.modelId().value()));
  }

  @Override
  public Model archive(ModelId id) {
    long now = clock.millis();
    return database.write(
        handle -> {
          Model current = lockModel(handle, id);
          if (current.isArchived()) {
            return current;
          }
          handle
              .createUpdate(
                  "UPDATE models SET archived_at = :now, updated_at = :now WHERE id = :id")
              .bind("now", now)
              .bind("id", id.value())
              .execute();
          return model(handle, id).orElseThrow();
        });
  }

  private Model lockModel(Handle handle, ModelId id) {
    handle
        .createQuery("SELECT id FROM models WHERE id = :id " + database.dialect().forUpdate())
        .bind("id", id.value())
        .mapTo(String.class)
        .findOne()
        .orElseThrow(() -> notFound(id));
    return model(handle, id).orElseThrow(() -> notFound(id));
  }

  private static byte[] previousSecret(Handle handle, Model current) {
    return handle
        .createQuery("SELECT secret FROM model_versions WHERE id = :id")
        .bind("id", current.latestVersionId().value())
        .map((resultSet, context) -> resultSet.getBytes("secret"))
        .one();
  }

  private static void insertVersion(
      Handle handle,
      ModelVersionId versionId,
      ModelId model,
      int version,
      ObjectNode manifest,
      byte[] sealedSecret,
      long now) {
    handle
        .createUpdate(
            """
            INSERT INTO model_versions (id, model_id, version, manifest, secret, created_at)
            VALUES (:id, :model, :version, :manifest, :secret, :now)
            """)
        .bind("id", versionId.value())
        .bind("model", model.value())
        .bind("version", version)
        .bind("manifest", Json.write(manifest))
        .bind("secret", sealedSecret)
        .bind("now", now)
        .execute();
  }

  private static Optional<Model> model(Handle handle, ModelId id) {
    return handle
        .createQuery(SELECT_MODEL + "WHERE m.id = :id")
        .bind("id", id.value())
        .map((resultSet, context) -> model(resultSet))
        .findOne();
  }

  private static Optional<Model> findByName(Handle handle, String name) {
    return handle
        .createQuery(SELECT_MODEL + "WHERE m.name = :name AND m.archived_at IS NULL")
        .bind("name", name)
        .map((resultSet, context) -> model(resultSet))
        .findOne();
  }

  private static Optional<ModelVersion> version(Handle handle, ModelVersionId id) {
    return handle
        .createQuery(SELECT_VERSION + "WHERE id = :id")
        .bind("id", id.value())
        .map((resultSet, context) -> version(resultSet))
        .findOne();
  }

  private static Model model(ResultSet resultSet) throws SQLException {
    long archivedAt = resultSet.getLong("archived_at");
    Optional<Instant> archived =
        resultSet.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(archivedAt));
    return new Model(
        new ModelId(resultSet.getString("id")),
        resultSet.getString("name"),
        new ModelVersionId(resultSet.getString("latest_version_id")),
        resultSet.getInt("latest_version"),
        Instant.ofEpochMilli(resultSet.getLong("created_at")),
        Instant.ofEpochMilli(resultSet.getLong("updated_at")),
        archived);
  }

  private static ModelVersion version(ResultSet resultSet) throws SQLException {
    byte[] secret = resultSet.getBytes("secret");
    return new ModelVersion(
        new ModelVersionId(resultSet.getString("id")),
        new ModelId(resultSet.getString("model_id")),
        resultSet.getInt("version"),
        Json.readObject(
            resultSet.getString("manifest"), "manifest of " + resultSet.getString("id")),
        Optional.ofNullable(secret).map(SealedSecret::new),
        Instant.ofEpochMilli(resultSet.getLong("created_at")));
  }

  private static String checkName(String name) {
    requireNonNull(name, "name is null");
    String trimmed = name.strip();
    if (trimmed.isEmpty() || trimmed.length() > 200) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "name: expected 1 to 200 characters, got \"" + name + "\"");
    }
    return trimmed;
  }

  private static FoundryException nameTaken(String name, Model taken) {
    return new FoundryException(
        ErrorCode.CONFLICT, "a model named \"" + name + "\" already exists: " + taken.id());
  }

  private static FoundryException notFound(ModelId id) {
    return new FoundryException(ErrorCode.NOT_FOUND, "model " + id + " does not exist");
  }
}
