package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.secrets.SecretBox;

/**
 * The store opened on one database: its repositories, its task queue and, on PostgreSQL, the rate
 * limiter shared by every node. The composition root builds one and closes it at shutdown.
 */
public final class Store implements AutoCloseable {
  private final Database database;
  private final ModelRepository models;
  private final DatasetRepository datasets;
  private final RunRepository runs;
  private final TaskQueue tasks;
  private final Optional<RateLimiter> sharedRateLimiter;

  public Store(Database database, SecretBox secrets, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.models = new JdbiModelRepository(database, secrets, clock);
    this.datasets = new JdbiDatasetRepository(database, clock);
    this.runs = new JdbiRunRepository(database, clock);
    this.tasks =
        new JdbiTaskQueue(database, secrets, clock, JdbiTaskQueue.DEFAULT_RAW_RESPONSE_LIMIT);
    this.sharedRateLimiter =
        database.dialect() == Dialect.POSTGRESQL
            ? Optional.of(new PostgresRateLimiter(database, clock))
            : Optional.empty();
  }

  /** Opens (and migrates) the database and builds the store on it. */
  public static Store open(DatabaseConfig config, SecretBox secrets, Clock clock) {
    return new Store(Database.open(config), secrets, clock);
  }

  public Database database() {
    return database;
  }

  public ModelRepository models() {
    return models;
  }

  public DatasetRepository datasets() {
    return datasets;
  }

  public RunRepository runs() {
    return runs;
  }

  public TaskQueue tasks() {
    return tasks;
  }

  /** The rate limiter shared across nodes, on PostgreSQL; empty on SQLite (one node). */
  public Optional<RateLimiter> sharedRateLimiter() {
    return sharedRateLimiter;
  }

  @Override
  public void close() {
    database.close();
  }
}
