package org.openfoundry.store;

import java.sql.SQLException;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** The two databases the store speaks, and the few places where their SQL differs. */
public enum Dialect {
  SQLITE("jdbc:sqlite:", "classpath:db/migration/sqlite", "", "", ""),
  POSTGRESQL(
      "jdbc:postgresql:",
      "classpath:db/migration/postgresql",
      "FOR UPDATE",
      "FOR SHARE",
      "FOR UPDATE SKIP LOCKED");

  private static final int SQLITE_CONSTRAINT = 19;
  private static final String POSTGRESQL_UNIQUE_VIOLATION = "23505";

  private final String urlPrefix;
  private final String migrations;
  private final String forUpdate;
  private final String forShare;
  private final String skipLocked;

  Dialect(
      String urlPrefix, String migrations, String forUpdate, String forShare, String skipLocked) {
    this.urlPrefix = urlPrefix;
    this.migrations = migrations;
    this.forUpdate = forUpdate;
    this.forShare = forShare;
    this.skipLocked = skipLocked;
  }

  /** The dialect of a JDBC URL; anything but SQLite or PostgreSQL is refused with its URL. */
  public static Dialect of(String jdbcUrl) {
    for (Dialect dialect : values()) {
      if (jdbcUrl.startsWith(dialect.urlPrefix)) {
        return dialect;
      }
    }
    throw new FoundryException(
        ErrorCode.INVALID_INPUT,
        "database url: expected jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>, got \""
            + jdbcUrl
            + "\"");
  }

  String migrations() {
    return migrations;
  }

  /**
   * Row locks for a read that is followed by writes in the same transaction. SQLite has none: its
   * write transactions begin IMMEDIATE and so already hold the one database write lock.
   */
  String forUpdate() {
    return forUpdate;
  }

  /**
   * Row locks for a read that must keep the row from changing until the transaction ends, without
   * keeping other readers of that kind out. SQLite needs none, as above.
   */
  String forShare() {
    return forShare;
  }

  /** Row locks that pass over rows another transaction holds (claims). */
  String skipLocked() {
    return skipLocked;
  }

  boolean isUniqueViolation(SQLException e) {
    return switch (this) {
      case SQLITE -> e.getErrorCode() == SQLITE_CONSTRAINT && e.getMessage().contains("UNIQUE");
      case POSTGRESQL -> POSTGRESQL_UNIQUE_VIOLATION.equals(e.getSQLState());
    };
  }
}
