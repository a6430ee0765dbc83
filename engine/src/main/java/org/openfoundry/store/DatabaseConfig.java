package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the store lives: a JDBC URL ({@code jdbc:sqlite:/path/foundry.db} or {@code
 * jdbc:postgresql://host/db}), credentials for PostgreSQL, the pool size, and how long a write
 * waits for a SQLite file another process holds before it gives up. The password never shows in
 * {@code toString}.
 */
public record DatabaseConfig(
    String jdbcUrl,
    Optional<String> user,
    Optional<String> password,
    int maxPoolSize,
    Duration busyTimeout) {

  public DatabaseConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(busyTimeout, "busyTimeout is null");
    Dialect.of(jdbcUrl);
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "busyTimeout must be within 0..24 days, got " + busyTimeout);
    }
  }

  /** A SQLite file with the defaults: four connections, five seconds of patience for locks. */
  public static DatabaseConfig sqlite(Path file) {
    return new DatabaseConfig(
        "jdbc:sqlite:" + file.toAbsolutePath(),
        Optional.empty(),
        Optional.empty(),
        4,
        Duration.ofSeconds(5));
  }

  /** The URL with defaults for its dialect: ten connections on PostgreSQL, four on SQLite. */
  public static DatabaseConfig of(
      String jdbcUrl, Optional<String> user, Optional<String> password) {
    int pool = Dialect.of(jdbcUrl) == Dialect.POSTGRESQL ? 10 : 4;
    return new DatabaseConfig(jdbcUrl, user, password, pool, Duration.ofSeconds(5));
  }

  public Dialect dialect() {
    return Dialect.of(jdbcUrl);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user.orElse("")
        + ", password="
        + (password.isPresent() ? "****" : "")
        + ", maxPoolSize="
        + maxPoolSize
        + ", busyTimeout="
        + busyTimeout
        + "]";
  }
}
