package org.openfoundry.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema on the PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code
 * postgres}), dropped on close. Tests that need one are skipped, with the reason printed, when
 * PostgreSQL cannot be reached, except under {@code CI=true}, where that is a failure.
 */
final class PostgresSchema implements AutoCloseable {
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  private final String name;

  private PostgresSchema(String name) {
    this.name = name;
  }

  static PostgresSchema create(String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      String reason = "PostgreSQL at " + SERVER + " cannot be reached: " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + " (CI=true: PostgreSQL is required)", e);
      }
      System.out.println("skipped: " + reason);
      Assumptions.abort(reason);
    }
    return new PostgresSchema(name.toLowerCase(Locale.ROOT));
  }

  /** The JDBC URL that puts the store in this schema. */
  String url() {
    return SERVER + "?currentSchema=" + name;
  }

  @Override
  public void close() {
    try {
      execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the schema " + name, e);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
