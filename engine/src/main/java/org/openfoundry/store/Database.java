package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlStatements;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * An open store database: a connection pool on a SQLite file (WAL, busy timeout, {@code
 * synchronous=NORMAL}, foreign keys on) or on PostgreSQL, migrated by Flyway when opened. Writes go
 * through {@link #write}, reads through {@link #read}.
 */
public final class Database implements AutoCloseable {
  private static final int MAX_DEADLOCK_RETRIES = 5;

  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String location;
  // SQLite has one writer at a time; queueing this process's writers here is fair and cheaper
  // than letting them spin in SQLite's busy handler. Other processes still meet the busy timeout.
  private final ReentrantLock sqliteWriter = new ReentrantLock(true);
  // A stream holds its connection for as long as its reader takes (an export to a slow client);
  // leaving two connections to everything else keeps streams from starving short reads and the
  // dispatcher's claims and completions.
  private final Semaphore streams;

  private Database(Dialect dialect, HikariDataSource dataSource, String location, int maxPoolSize) {
    this.dialect = dialect;
    this.streams = new Semaphore(maxStreams(maxPoolSize), true);
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    // Queries share bindings across dialects and selections; not every variant uses each one.
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    if (dialect == Dialect.SQLITE) {
      jdbi.setStatementBuilderFactory(new SqliteStatementCache());
    }
    this.location = location;
  }

  /**
   * Opens the database and brings its schema up to date. A SQLite file that another process holds
   * locked, that cannot be written or that is not a database is reported as such (UNAVAILABLE), and
   * nothing is written to it.
   */
  public static Database open(DatabaseConfig config) {
    requireNonNull(config, "config is null");
    Dialect dialect = config.dialect();
    String location = location(config);
    if (dialect == Dialect.SQLITE) {
      checkSqliteFile(Path.of(location));
    }
    HikariDataSource dataSource = null;
    try {
      dataSource = new HikariDataSource(poolConfig(config, dialect));
      Flyway.configure()
          .dataSource(dataSource)
          .locations(dialect.migrations())
          .failOnMissingLocations(true)
          // A schema from a newer release is refused: this release cannot know what it means.
          .ignoreMigrationPatterns(new String[0])
          .load()
          .migrate();
      Database database = new Database(dialect, dataSource, location, config.maxPoolSize());
      database.write(handle -> handle.execute("UPDATE models SET name = name WHERE 1 = 0"));
      return database;
    } catch (RuntimeException e) {
      if (dataSource != null) {
        dataSource.close();
      }
      throw openFailure(dialect, location, e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Runs {@code work} in one write transaction: on SQLite one writer at a time (BEGIN IMMEDIATE),
   * on PostgreSQL retried from the start when it lost a deadlock, so {@code work} must not leave
   * effects outside the transaction.
   */
  <T> T write(HandleCallback<T, RuntimeException> work) {
    if (dialect == Dialect.SQLITE) {
      sqliteWriter.lock();
      try {
        return translate(() -> jdbi.inTransaction(work));
      } finally {
        sqliteWriter.unlock();
      }
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return translate(() -> jdbi.inTransaction(work));
      } catch (FoundryException e) {
        if (!(e.getCause() instanceof JdbiException cause)
            || !isDeadlock(cause)
            || attempt == MAX_DEADLOCK_RETRIES) {
          throw e;
        }
      }
    }
  }

  /** Runs {@code work} on a connection in auto-commit mode: each statement sees committed data. */
  <T> T read(HandleCallback<T, RuntimeException> work) {
    return translate(() -> jdbi.withHandle(work));
  }

  /**
   * A stream of rows read lazily from a cursor, on a connection of its own until the stream is
   * closed. PostgreSQL streams only from a cursor inside a (read-only) transaction; SQLite steps
   * through rows as they are read and must not hold its write lock meanwhile. At most {@link
   * #maxStreams} streams are open at once; the next waits for one to close.
   */
  <T> Stream<T> stream(Function<Handle, Stream<T>> query) {
    try {
      streams.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoundryException(
          ErrorCode.UNAVAILABLE, "interrupted while waiting to read from the database");
    }
    Handle handle;
    try {
      // Without a connection (the database is away) this fails as every other call does.
      handle = translate(jdbi::open);
    } catch (RuntimeException e) {
      streams.release();
      throw e;
    }
    Runnable release =
        () -> {
          try (handle) {
            if (handle.isInTransaction()) {
              handle.rollback();
            }
          } finally {
            streams.release();
          }
        };
    try {
      if (dialect == Dialect.POSTGRESQL) {
        handle.begin();
      }
      return query.apply(handle).onClose(release);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  /** How many streams a pool of {@code maxPoolSize} connections may hold open at once. */
  static int maxStreams(int maxPoolSize) {
    return Math.max(1, maxPoolSize - 2);
  }

  @Override
  public void close() {
    dataSource.close();
  }

  @Override
  public String toString() {
    return "Database[" + dialect + " " + location + "]";
  }

  private <T> T translate(Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      Optional<SQLException> sql = sqlException(e);
      if (dialect == Dialect.SQLITE && sql.isPresent() && isSqliteBusy(sql.get())) {
        throw new FoundryException(
            ErrorCode.UNAVAILABLE,
            "the database file "
                + location
                + " stayed locked by another process longer than the busy timeout",
            List.of(),
            e);
      }
      if (sql.isPresent() && dialect.isUniqueViolation(sql.get())) {
        throw new FoundryException(
            ErrorCode.CONFLICT, "already exists: " + rootMessage(e), List.of(), e);
      }
      if (sql.isPresent() && isNulInText(sql.get())) {
        // PostgreSQL refuses U+0000 in text, wherever a value came from: the value is bad input,
        // and the database is not away.
        throw new FoundryException(
            ErrorCode.INVALID_INPUT,
            "a text value contains the character U+0000 (NUL), which cannot be stored",
            List.of(),
            e);
      }
      throw new FoundryException(
          ErrorCode.UNAVAILABLE, "database error: " + rootMessage(e), List.of(), e);
    }
  }

  /** PostgreSQL's refusal of U+0000 in a text value: invalid byte sequence for UTF8. */
  private boolean isNulInText(SQLException sql) {
    return dialect == Dialect.POSTGRESQL
        && "22021".equals(sql.getSQLState())
        && String.valueOf(sql.getMessage()).contains("0x00");
  }

  private boolean isDeadlock(JdbiException e) {
    return sqlException(e)
        .map(SQLException::getSQLState)
        .filter(state -> state.equals("40P01") || state.equals("40001"))
        .isPresent();
  }

  private static HikariConfig poolConfig(DatabaseConfig config, Dialect dialect) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(config.jdbcUrl());
    config.user().ifPresent(pool::setUsername);
    config.password().ifPresent(pool::setPassword);
    pool.setMaximumPoolSize(config.maxPoolSize());
    pool.setPoolName("foundry-store");
    pool.setInitializationFailTimeout(1);
    if (dialect == Dialect.SQLITE) {
      pool.addDataSourceProperty("journal_mode", "WAL");
      pool.addDataSourceProperty("synchronous", "NORMAL");
      pool.addDataSourceProperty("foreign_keys", "true");
      pool.addDataSourceProperty("busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
      pool.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    }
    return pool;
  }

  private static String location(DatabaseConfig config) {
    String url = config.jdbcUrl();
    if (config.dialect() == Dialect.POSTGRESQL) {
      int query = url.indexOf('?');
      return query < 0 ? url : url.substring(0, query);
    }
    String file = url.substring("jdbc:sqlite:".length());
    if (file.startsWith("file:")) {
      file = file.substring("file:".length());
    }
    int query = file.indexOf('?');
    file = query < 0 ? file : file.substring(0, query);
    if (file.isEmpty() || file.equals(":memory:")) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "database url: expected jdbc:sqlite:<file>, got \""
              + url
              + "\": the store needs a file that every connection shares");
    }
    return file;
  }

  private static void checkSqliteFile(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "cannot create the folder " + folder + " for the database file: " + e.getMessage(),
          List.of(),
          e);
    }
    boolean writable = Files.exists(file) ? Files.isWritable(file) : Files.isWritable(folder);
    if (!writable) {
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "the database file "
              + file
              + " is not writable: OpenFoundry needs to write the file and, for its journal, "
              + "its folder");
    }
  }

  private static FoundryException openFailure(
      Dialect dialect, String location, RuntimeException e) {
    if (e instanceof FoundryException foundry) {
      if (!(foundry.getCause() instanceof RuntimeException cause)) {
        return foundry;
      }
      e = cause;
    }
    Optional<SQLException> sql = sqlException(e);
    String reason = rootMessage(e);
    if (dialect == Dialect.SQLITE && sql.isPresent()) {
      int code = sql.get().getErrorCode() & 0xff;
      String message =
          switch (code) {
            case 5, 6 ->
                "the database file "
                    + location
                    + " is locked by another process; stop it or use another file";
            case 8, 14 -> "cannot write the database file " + location + ": " + reason;
            case 26 -> "the file " + location + " is not a SQLite database";
            case 11 -> "the database file " + location + " is damaged: " + reason;
            default -> "cannot open the database file " + location + ": " + reason;
          };
      return new FoundryException(ErrorCode.UNAVAILABLE, message, List.of(), e);
    }
    return new FoundryException(
        ErrorCode.UNAVAILABLE,
        "cannot open the database " + location + ": " + reason,
        List.of(),
        e);
  }

  private static boolean isSqliteBusy(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return code == 5 || code == 6;
  }

  static Optional<SQLException> sqlException(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return Optional.of(sql);
      }
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
