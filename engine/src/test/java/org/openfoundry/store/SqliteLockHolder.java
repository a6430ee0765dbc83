package org.openfoundry.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.openfoundry.engine.JavaProcess;

/**
 * Another process on a SQLite file, for tests to run in a child JVM: opens {@code args[0]}, runs
 * the statements that follow (say {@code BEGIN EXCLUSIVE} and a write it never commits), prints
 * {@value #HOLDING} and holds on until it is killed.
 */
public final class SqliteLockHolder {
  /** What the holder prints once it holds the file. */
  public static final String HOLDING = "holding the database file";

  private SqliteLockHolder() {}

  /**
   * Starts a holder that takes {@code file} for good ({@code locking_mode = EXCLUSIVE}) and runs
   * {@code write} in a transaction it never ends, and waits until it holds the file.
   */
  public static JavaProcess start(Path file, String write, Path logFolder) {
    JavaProcess holder =
        JavaProcess.start(
            "sqlite-holder",
            SqliteLockHolder.class,
            List.of(file.toString(), "PRAGMA locking_mode = EXCLUSIVE", "BEGIN EXCLUSIVE", write),
            Map.of(),
            logFolder);
    try {
      holder.awaitOutput(Pattern.compile(HOLDING), Duration.ofSeconds(60));
      return holder;
    } catch (AssertionError failed) {
      holder.close();
      throw failed;
    }
  }

  public static void main(String[] args) throws SQLException, InterruptedException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
    try (Statement statement = connection.createStatement()) {
      for (int index = 1; index < args.length; index++) {
        statement.execute(args[index]);
      }
    }
    System.out.println(HOLDING);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
