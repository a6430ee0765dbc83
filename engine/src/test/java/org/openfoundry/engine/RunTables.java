package org.openfoundry.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.openfoundry.runs.RunId;

/**
 * Reads a run's rows straight from the store's tables, apart from the repositories whose counters
 * and results the process tests check against them.
 */
final class RunTables {
  private final String url;
  private final String user;
  private final RunId run;

  RunTables(String url, String user, RunId run) {
    this.url = url;
    this.user = user;
    this.run = run;
  }

  /** Tasks per state, counted row by row. */
  Map<String, Long> tasksByState() {
    return counts("SELECT state, COUNT(*) FROM tasks WHERE run_id = ? GROUP BY state");
  }

  /** How many tasks the run has, and for how many distinct data rows. */
  long[] tasksAndRows() {
    return pair("SELECT COUNT(*), COUNT(DISTINCT data_row_id) FROM tasks WHERE run_id = ?");
  }

  /** How many results the run has, for how many distinct tasks and data rows. */
  long[] resultsTasksAndRows() {
    return triple(
        """
        SELECT COUNT(*), COUNT(DISTINCT r.task_id), COUNT(DISTINCT t.data_row_id)
        FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE t.run_id = ?
        """);
  }

  long results() {
    return resultsTasksAndRows()[0];
  }

  /** Each stored result as written: task id to its attempt and predictions. */
  Map<String, String> snapshot() {
    Map<String, String> results = new TreeMap<>();
    query(
        """
        SELECT r.task_id, r.attempt, r.predictions FROM task_results r
        JOIN tasks t ON t.id = r.task_id WHERE t.run_id = ?
        """,
        rows -> {
          while (rows.next()) {
            results.put(rows.getString(1), rows.getInt(2) + " " + rows.getString(3));
          }
        });
    return results;
  }

  /** Attempts per result (SUCCEEDED, LEASE_EXPIRED, ...). */
  Map<String, Long> attemptsByResult() {
    return counts(
        """
        SELECT a.result, COUNT(*) FROM task_attempts a JOIN tasks t ON t.id = a.task_id
        WHERE t.run_id = ? GROUP BY a.result
        """);
  }

  /** Succeeded attempts per worker. */
  Map<String, Long> successesByOwner() {
    return counts(
        """
        SELECT a.lease_owner, COUNT(*) FROM task_attempts a JOIN tasks t ON t.id = a.task_id
        WHERE t.run_id = ? AND a.result = 'SUCCEEDED' GROUP BY a.lease_owner
        """);
  }

  private Map<String, Long> counts(String sql) {
    Map<String, Long> counts = new LinkedHashMap<>();
    query(
        sql,
        rows -> {
          while (rows.next()) {
            counts.put(rows.getString(1), rows.getLong(2));
          }
        });
    return counts;
  }

  private long[] pair(String sql) {
    long[] values = new long[2];
    query(
        sql,
        rows -> {
          rows.next();
          values[0] = rows.getLong(1);
          values[1] = rows.getLong(2);
        });
    return values;
  }

  private long[] triple(String sql) {
    long[] values = new long[3];
    query(
        sql,
        rows -> {
          rows.next();
          values[0] = rows.getLong(1);
          values[1] = rows.getLong(2);
          values[2] = rows.getLong(3);
        });
    return values;
  }

  @FunctionalInterface
  private interface RowsReader {
    void read(ResultSet rows) throws SQLException;
  }

  private void query(String sql, RowsReader reader) {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, run.value());
      try (ResultSet rows = statement.executeQuery()) {
        reader.read(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
