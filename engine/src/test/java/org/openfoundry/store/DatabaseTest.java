package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.engine.JavaProcess;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** Opening the database, and the clear errors when it cannot be. */
class DatabaseTest {
  @TempDir Path folder;

  @Test
  void creates_the_file_and_its_folder_and_migrates_it() {
    Path file = folder.resolve("nested").resolve("foundry.db");
    try (Database database = Database.open(DatabaseConfig.sqlite(file))) {
      assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
      long applied =
          database.read(
              handle ->
                  handle
                      .createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")
                      .mapTo(Long.class)
                      .one());
      assertThat(applied).isGreaterThanOrEqualTo(1);
    }
    assertThat(file).exists();
    try (Database again = Database.open(DatabaseConfig.sqlite(file))) {
      assertThat(again.dialect()).isEqualTo(Dialect.SQLITE);
    }
  }

  @Test
  void leaves_connections_for_short_reads_and_writes_however_many_streams_readers_hold_open()
      throws Exception {
    DatabaseConfig config = DatabaseConfig.sqlite(folder.resolve("foundry.db"));
    int readers = config.maxPoolSize();
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger open = new AtomicInteger();
    try (Database database = Database.open(config);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> streamed = new ArrayList<>();
      for (int reader = 0; reader < readers; reader++) {
        streamed.add(
            threads.submit(
                () -> {
                  try (Stream<Long> rows =
                      database.stream(
                          handle -> handle.createQuery("SELECT 1").mapTo(Long.class).stream())) {
                    open.incrementAndGet();
                    finish.await();
                    return rows.count();
                  }
                }));
      }
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (open.get() < Database.maxStreams(readers) && System.nanoTime() < deadline) {
          LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }

        Future<Long> read =
            threads.submit(
                () -> {
                  database.write(
                      handle -> handle.execute("UPDATE models SET name = name WHERE 1 = 0"));
                  return database.read(
                      handle ->
                          handle
                              .createQuery("SELECT COUNT(*) FROM models")
                              .mapTo(Long.class)
                              .one());
                });

        assertThat(read.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(open.get()).isEqualTo(Database.maxStreams(readers)).isLessThan(readers);
      } finally {
        // Let the readers go whatever happened, or closing the executor would wait for them.
        finish.countDown();
      }
      for (Future<Long> rows : streamed) {
        assertThat(rows.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
    }
  }

  @Test
  void refuses_a_database_migrated_by_a_newer_release() {
    Path file = folder.resolve("foundry.db");
    try (Database database = Database.open(DatabaseConfig.sqlite(file))) {
      database.write(
          handle ->
              handle.execute(
                  """
                  INSERT INTO flyway_schema_history (installed_rank, version, description, type,
                    script, checksum, installed_by, installed_on, execution_time, success)
                  VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0,
                    'test', CURRENT_TIMESTAMP, 1, 1)
                  """));
    }

    assertThatThrownBy(() -> Database.open(DatabaseConfig.sqlite(file)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage()).contains(file.toString()).contains("99");
            });
  }

  @Test
  void turns_a_unique_violation_into_a_conflict() {
    try (Database database = Database.open(DatabaseConfig.sqlite(folder.resolve("foundry.db")))) {
      String insert =
          "INSERT INTO datasets (id, name, description, row_count, created_at)"
              + " VALUES ('ds_1', 'a', '', 0, 0)";
      database.write(handle -> handle.execute(insert));

      assertThatThrownBy(() -> database.write(handle -> handle.execute(insert)))
          .isInstanceOfSatisfying(
              FoundryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }
  }

  @Test
  void says_so_when_another_process_holds_the_file_locked() throws Exception {
    Path file = folder.resolve("foundry.db");
    Database.open(DatabaseConfig.sqlite(file)).close();
    DatabaseConfig impatient =
        new DatabaseConfig(
            "jdbc:sqlite:" + file, Optional.empty(), Optional.empty(), 2, Duration.ofMillis(200));

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = other.createStatement()) {
      statement.execute("BEGIN EXCLUSIVE");
      assertLockedByAnotherProcess(impatient, file);
      statement.execute("ROLLBACK");
    }
    try (Database database = Database.open(impatient)) {
      assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
    }
  }

  @Test
  void says_so_when_another_process_holds_the_file_and_finds_it_intact_once_that_one_is_killed() {
    Path file = folder.resolve("foundry.db");
    try (Database database = Database.open(DatabaseConfig.sqlite(file))) {
      database.write(handle -> handle.execute(insertDataset("ds_1")));
    }
    DatabaseConfig impatient =
        new DatabaseConfig(
            "jdbc:sqlite:" + file, Optional.empty(), Optional.empty(), 2, Duration.ofMillis(200));

    try (JavaProcess holder = SqliteLockHolder.start(file, insertDataset("ds_2"), folder)) {
      assertLockedByAnotherProcess(impatient, file);
      // Killed in the middle of its write: the write must vanish, the file stay whole.
      holder.kill();
    }

    try (Database database = Database.open(impatient)) {
      String check =
          database.read(
              handle -> handle.createQuery("PRAGMA integrity_check").mapTo(String.class).one());
      List<String> datasets =
          database.read(
              handle ->
                  handle
                      .createQuery("SELECT id FROM datasets ORDER BY id")
                      .mapTo(String.class)
                      .list());
      assertThat(check).isEqualTo("ok");
      assertThat(datasets).containsExactly("ds_1");
    }
  }

  private static void assertLockedByAnotherProcess(DatabaseConfig config, Path file) {
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the database file "
                          + file
                          + " is locked by another process; stop it or use another file");
            });
  }

  private static String insertDataset(String id) {
    return "INSERT INTO datasets (id, name, description, row_count, created_at)"
        + " VALUES ('%s', '%s', '', 0, 0)".formatted(id, id);
  }

  @Test
  void a_read_a_write_and_a_stream_without_a_connection_all_fail_as_unavailable() {
    Database database = Database.open(DatabaseConfig.sqlite(folder.resolve("foundry.db")));
    database.close();

    List<ThrowingCallable> calls =
        List.of(
            () -> database.read(handle -> handle.execute("SELECT 1")),
            () -> database.write(handle -> handle.execute("SELECT 1")),
            () ->
                database.stream(
                        handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).stream())
                    .close());
    assertThat(calls)
        .allSatisfy(
            call ->
                assertThatThrownBy(call)
                    .isInstanceOfSatisfying(
                        FoundryException.class,
                        e -> {
                          assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                          assertThat(e.getMessage()).startsWith("database error: ");
                        }));
  }

  @Test
  void says_so_when_the_file_is_not_a_database_and_leaves_it_alone() throws IOException {
    Path file = folder.resolve("notes.txt");
    byte[] content = "these are my notes, not a database\n".repeat(200).getBytes();
    Files.write(file, content);

    assertThatThrownBy(() -> Database.open(DatabaseConfig.sqlite(file)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo("the file " + file + " is not a SQLite database"));
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void says_so_when_the_folder_cannot_be_made() throws IOException {
    Path blocker = Files.writeString(folder.resolve("a-file"), "x");

    assertThatThrownBy(() -> Database.open(DatabaseConfig.sqlite(blocker.resolve("foundry.db"))))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage()).startsWith("cannot create the folder " + blocker);
            });
  }

  @Test
  void says_so_when_the_file_is_read_only() throws IOException {
    assumeThat(folder.getFileSystem().supportedFileAttributeViews()).contains("posix");
    Path file = folder.resolve("foundry.db");
    Database.open(DatabaseConfig.sqlite(file)).close();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    assumeThat(Files.isWritable(file))
        .as("not running with powers that ignore permissions")
        .isFalse();

    assertThatThrownBy(() -> Database.open(DatabaseConfig.sqlite(file)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> assertThat(e.getMessage()).contains(file.toString()).contains("not writable"));
  }

  @Test
  void says_so_when_postgresql_cannot_be_reached() {
    DatabaseConfig config =
        DatabaseConfig.of(
            "jdbc:postgresql://127.0.0.1:1/foundry?connectTimeout=2",
            Optional.of("foundry"),
            Optional.of("hunter2"));

    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage())
                  .startsWith("cannot open the database jdbc:postgresql://127.0.0.1:1/foundry: ")
                  .doesNotContain("hunter2");
            });
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void refuses_urls_of_other_databases_and_in_memory_sqlite() {
    assertThatThrownBy(
            () -> DatabaseConfig.of("jdbc:mysql://db/x", Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(
            FoundryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    assertThatThrownBy(
            () ->
                Database.open(
                    DatabaseConfig.of("jdbc:sqlite::memory:", Optional.empty(), Optional.empty())))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> assertThat(e.getMessage()).contains("a file that every connection shares"));
  }
}
