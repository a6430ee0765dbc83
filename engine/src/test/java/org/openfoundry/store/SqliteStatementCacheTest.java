package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.problems.FoundryException;

/** SQLite's prepared statements kept between uses: reused, and never stale or shared. */
class SqliteStatementCacheTest {
  private static final String READ = "SELECT value FROM notes WHERE id = :id";
  private static final String FROM = "SELECT value FROM notes WHERE id >= :id ORDER BY id";

  @TempDir Path folder;
  private DatabaseConfig oneConnection;

  @BeforeEach
  void createTable() {
    Path file = folder.resolve("foundry.db");
    oneConnection =
        new DatabaseConfig(
            "jdbc:sqlite:" + file, Optional.empty(), Optional.empty(), 1, Duration.ofSeconds(5));
    try (Database database = Database.open(oneConnection)) {
      database.write(
          handle -> {
            handle.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
            return handle.execute("INSERT INTO notes (id, value) VALUES (1, 'first'), (2, 'two')");
          });
    }
  }

  @Test
  void reuses_the_statement_of_the_same_sql_on_the_same_connection() {
    List<PreparedStatement> used = new ArrayList<>();
    try (Database database = Database.open(oneConnection)) {
      for (int time = 0; time < 3; time++) {
        String value = database.read(handle -> read(handle, 1, used));
        assertThat(value).isEqualTo("first");
      }
    }
    assertThat(used).hasSize(3);
    assertThat(used.get(1)).isSameAs(used.get(0));
    assertThat(used.get(2)).isSameAs(used.get(0));
  }

  @Test
  void a_kept_statement_sees_what_another_connection_committed_since() {
    try (Database database = Database.open(oneConnection);
        Database other = Database.open(oneConnection)) {
      String before = database.read(handle -> read(handle, 1, new ArrayList<>()));
      other.write(handle -> handle.execute("UPDATE notes SET value = 'changed' WHERE id = 1"));
      String after = database.read(handle -> read(handle, 1, new ArrayList<>()));
      assertThat(before).isEqualTo("first");
      assertThat(after).isEqualTo("changed");
    }
  }

  @Test
  void the_same_sql_used_twice_at_once_gets_two_statements() {
    List<PreparedStatement> used = new ArrayList<>();
    try (Database database = Database.open(oneConnection)) {
      List<String> pairs =
          database.read(
              handle -> {
                List<String> seen = new ArrayList<>();
                try (var ids =
                    handle
                        .createQuery("SELECT id FROM notes ORDER BY id")
                        .mapTo(Integer.class)
                        .stream()) {
                  ids.forEach(id -> seen.add(id + "=" + read(handle, id, used)));
                }
                return seen;
              });
      assertThat(pairs).containsExactly("1=first", "2=two");
      assertThat(used.get(1)).isSameAs(used.get(0));
      // Inside a loop still reading the same SQL, the inner reads get a statement of their own.
      List<PreparedStatement> nested = new ArrayList<>();
      List<String> joined =
          database.read(
              handle ->
                  handle
                      .createQuery(FROM)
                      .bind("id", 1)
                      .addCustomizer(remember(nested))
                      .mapTo(String.class)
                      .stream()
                      .map(outer -> outer + "/" + String.join(",", from(handle, 2, nested)))
                      .toList());
      assertThat(joined).containsExactly("first/two", "two/two");
      assertThat(nested).hasSize(3);
      assertThat(nested.get(1)).isNotSameAs(nested.get(0));
    }
  }

  @Test
  void a_batch_kept_after_it_ran_starts_empty_next_time() {
    try (Database database = Database.open(oneConnection)) {
      for (int round = 0; round < 2; round++) {
        int base = 10 + round * 10;
        int[] counts =
            database.write(
                handle -> {
                  var batch =
                      handle.prepareBatch("INSERT INTO notes (id, value) VALUES (:id, :value)");
                  for (int id = base; id < base + 3; id++) {
                    batch.bind("id", id).bind("value", "n" + id).add();
                  }
                  return batch.execute();
                });
        assertThat(counts).containsExactly(1, 1, 1);
      }
      long count =
          database.read(
              handle -> handle.createQuery("SELECT COUNT(*) FROM notes").mapTo(Long.class).one());
      assertThat(count).isEqualTo(8);
    }
  }

  @Test
  void a_failed_statement_leaves_the_connection_usable_and_nothing_half_written() {
    try (Database database = Database.open(oneConnection)) {
      for (int time = 0; time < 2; time++) {
        assertThatThrownBy(
                () ->
                    database.write(
                        handle -> {
                          handle.execute("INSERT INTO notes (id, value) VALUES (30, 'kept?')");
                          return handle.execute(
                              "INSERT INTO notes (id, value) VALUES (1, 'duplicate')");
                        }))
            .isInstanceOf(FoundryException.class);
      }
      String first = database.read(handle -> read(handle, 1, new ArrayList<>()));
      assertThat(first).isEqualTo("first");
      long kept =
          database.read(
              handle ->
                  handle
                      .createQuery("SELECT COUNT(*) FROM notes WHERE id = 30")
                      .mapTo(Long.class)
                      .one());
      assertThat(kept).isZero();
    }
  }

  @Test
  void more_distinct_statements_than_it_keeps_still_run() {
    try (Database database = Database.open(oneConnection)) {
      for (int variant = 0; variant < 300; variant++) {
        String sql = "SELECT value || '" + variant + "' FROM notes WHERE id = :id";
        String value =
            database.read(
                handle -> handle.createQuery(sql).bind("id", 2).mapTo(String.class).one());
        assertThat(value).isEqualTo("two" + variant);
      }
      String two = database.read(handle -> read(handle, 2, new ArrayList<>()));
      assertThat(two).isEqualTo("two");
    }
  }

  private static String read(Handle handle, int id, List<PreparedStatement> used) {
    return handle
        .createQuery(READ)
        .bind("id", id)
        .addCustomizer(remember(used))
        .mapTo(String.class)
        .one();
  }

  private static List<String> from(Handle handle, int id, List<PreparedStatement> used) {
    return handle
        .createQuery(FROM)
        .bind("id", id)
        .addCustomizer(remember(used))
        .mapTo(String.class)
        .list();
  }

  private static StatementCustomizer remember(List<PreparedStatement> used) {
    return new StatementCustomizer() {
      @Override
      public void beforeExecution(PreparedStatement statement, StatementContext context)
          throws SQLException {
        used.add(statement.unwrap(PreparedStatement.class));
      }
    };
  }
}
