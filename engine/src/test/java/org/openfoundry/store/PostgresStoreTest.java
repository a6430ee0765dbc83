package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.TaskAttempt;

/**
 * The store contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code
 * postgres}), in a fresh schema dropped afterwards. Skipped when PostgreSQL cannot be reached,
 * except under {@code CI=true}, where that is a failure.
 */
class PostgresStoreTest extends StoreContractTest {
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  private String schema;

  @Override
  Database openDatabase() {
    schema = "store_test_" + Ids.leaseToken().substring(0, 16);
    execute(reachableServer(), "CREATE SCHEMA " + schema);
    return Database.open(
        new DatabaseConfig(
            SERVER + "?currentSchema=" + schema,
            Optional.of(USER),
            Optional.empty(),
            8,
            Duration.ofSeconds(5)));
  }

  @Override
  void dropDatabase() {
    execute(SERVER, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  @Test
  void claims_from_many_nodes_at_once_never_overshoot_the_concurrency_cap() throws Exception {
    Model model = model();
    run(model, 100);
    int cap = 9;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<List<LeasedTask>>> nodes = new ArrayList<>();
      for (int node = 0; node < 6; node++) {
        String owner = "node-" + node;
        nodes.add(
            () -> {
              start.await();
              return claim(model, 4, cap, owner);
            });
      }
      List<Future<List<LeasedTask>>> futures = new ArrayList<>();
      nodes.forEach(node -> futures.add(pool.submit(node)));
      start.countDown();
      List<LeasedTask> leased = new ArrayList<>();
      for (Future<List<LeasedTask>> future : futures) {
        leased.addAll(future.get(30, TimeUnit.SECONDS));
      }
      assertThat(leased).hasSize(cap);
      assertThat(leased).extracting(LeasedTask::id).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_renewal_committed_while_its_lease_is_being_expired_keeps_the_task_and_its_answer()
      throws Exception {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask task = claim(model, 1, 5, "renewing-worker").getFirst();
    clock.advance(LEASE.plusSeconds(1));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection renewal =
        DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, "")) {
      // The owner's renewal, caught between its update and its commit: it holds the task's row.
      renewal.setAutoCommit(false);
      try (PreparedStatement update =
          renewal.prepareStatement("UPDATE tasks SET lease_expires_at = ? WHERE id = ?")) {
        update.setLong(1, clock.instant().plus(LEASE).toEpochMilli());
        update.setString(2, task.id().value());
        assertThat(update.executeUpdate()).isEqualTo(1);
      }
      int renewalPid = backendPid(renewal);
      Future<Integer> expiry = pool.submit(() -> store.tasks().requeueExpired(clock.instant()));
      awaitBlockedBy(renewalPid, expiry);
      renewal.commit();
      expiry.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.runs().attempts(task.id())).isEmpty();
    assertThat(store.tasks().complete(List.of(completion(task, success("renewed")))))
        .containsExactly(task.id());
    assertThat(store.runs().attempts(task.id()))
        .extracting(TaskAttempt::result)
        .containsExactly(AttemptResult.SUCCEEDED);
    assertThat(resultCount(run.id())).isEqualTo(1);
    assertCountersMatchTasks(run.id());
  }

  @Test
  void a_run_over_a_dataset_waits_for_an_import_in_flight_and_checks_its_rows_too()
      throws Exception {
    Model model = model();
    Dataset dataset = dataset(3, AssetType.IMAGE);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection importing =
        DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, "")) {
      // An import batch between its rows and its dataset's count: a text row the run must refuse.
      importing.setAutoCommit(false);
      try (PreparedStatement row =
              importing.prepareStatement(
                  "INSERT INTO data_rows (id, dataset_id, row_data, media_type, attachments,"
                      + " metadata, created_at) VALUES (?, ?, 'a sentence', 'TEXT', '[]', '{}', 0)");
          PreparedStatement count =
              importing.prepareStatement(
                  "UPDATE datasets SET row_count = row_count + 1 WHERE id = ?")) {
        row.setString(1, "dr_" + Ids.leaseToken().substring(0, 26));
        row.setString(2, dataset.id().value());
        row.executeUpdate();
        count.setString(1, dataset.id().value());
        count.executeUpdate();
      }
      Future<Run> creating =
          pool.submit(
              () ->
                  createRun(
                      model,
                      new DataRowSelection.WholeDataset(dataset.id()),
                      Set.of(AssetType.IMAGE)));
      awaitBlockedBy(backendPid(importing), creating);
      importing.commit();

      assertThatThrownBy(() -> creating.get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              FoundryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
                assertThat(e.getMessage())
                    .startsWith("1 of the selected data rows have a media type");
              });
    } finally {
      pool.shutdownNow();
    }
    assertThat(runsOf(model.id())).isZero();
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Waits (30 s at most) until some backend waits for a lock that backend {@code pid} holds. */
  private static void awaitBlockedBy(int pid, Future<?> work) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection watcher = DriverManager.getConnection(SERVER, USER, "");
        PreparedStatement blocked =
            watcher.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
      blocked.setInt(1, pid);
      while (true) {
        try (ResultSet result = blocked.executeQuery()) {
          result.next();
          if (result.getInt(1) > 0) {
            return;
          }
        }
        if (work.isDone()) {
          work.get();
          throw new AssertionError("the work finished without waiting for backend " + pid);
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("waited 30 s for a backend blocked by " + pid);
        }
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void hands_out_rate_limited_slots_that_never_overlap_across_connections() throws Exception {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();
    double perSecond = 200;
    long interval = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Long> slots = new ArrayList<>();
                  for (int call = 0; call < 10; call++) {
                    slots.addAll(limiter.reserveSlots(model, perSecond, 3, Duration.ofMinutes(1)));
                  }
                  return slots;
                }));
      }
      start.countDown();
      List<Long> slots = new ArrayList<>();
      for (Future<List<Long>> future : futures) {
        slots.addAll(future.get(30, TimeUnit.SECONDS));
      }
      assertThat(slots).hasSize(120).doesNotHaveDuplicates();
      List<Long> sorted = slots.stream().sorted().toList();
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i) - sorted.get(i - 1)).isGreaterThanOrEqualTo(interval);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reserves_only_the_slots_that_fall_within_the_horizon() {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();

    List<Duration> first = limiter.reserve(model, 2, 5, Duration.ofMillis(1200));

    assertThat(first).hasSize(3);
    assertThat(first.get(0)).isLessThan(Duration.ofMillis(50));
    assertThat(first.get(1).minus(first.get(0))).isEqualTo(Duration.ofMillis(500));
    assertThat(first.get(2).minus(first.get(1))).isEqualTo(Duration.ofMillis(500));
    assertThat(limiter.reserve(model, 2, 5, Duration.ofMillis(100))).isEmpty();
  }

  @Test
  void takes_back_no_slot_that_another_thread_of_the_node_reserved_after_them() throws Exception {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();
    Duration horizon = Duration.ofMinutes(1);

    long first = limiter.reserveSlots(model, 1, 4, horizon).getFirst();
    ExecutorService chat = Executors.newSingleThreadExecutor();
    long chatSlot;
    try {
      chatSlot =
          chat.submit(() -> limiter.reserveSlots(model, 1, 1, horizon).getFirst())
              .get(30, TimeUnit.SECONDS);
    } finally {
      chat.shutdownNow();
    }
    limiter.release(model, 3);
    long next = limiter.reserveSlots(model, 1, 1, horizon).getFirst();

    assertThat(chatSlot - first).isEqualTo(4_000_000);
    assertThat(next - chatSlot).isEqualTo(1_000_000);
  }

  @Test
  void takes_back_unused_slots_only_while_no_later_reservation_follows_them() {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    PostgresRateLimiter otherNode = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();
    Duration horizon = Duration.ofMinutes(1);

    long first = limiter.reserveSlots(model, 1, 5, horizon).getFirst();
    limiter.release(model, 4);
    long second = limiter.reserveSlots(model, 1, 1, horizon).getFirst();
    long other = otherNode.reserveSlots(model, 1, 1, horizon).getFirst();
    limiter.release(model, 1);
    long third = otherNode.reserveSlots(model, 1, 1, horizon).getFirst();

    // The second reservation starts where the first one's single used slot ends...
    assertThat(second - first).isEqualTo(1_000_000);
    // ...and its slot stays taken, because the other node reserved after it.
    assertThat(other - second).isEqualTo(1_000_000);
    assertThat(third - other).isEqualTo(1_000_000);
  }

  @Test
  void takes_back_no_unused_slot_once_another_node_held_the_model_meanwhile() {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    PostgresRateLimiter otherNode = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();
    Duration horizon = Duration.ofMinutes(1);

    long first = limiter.reserveSlots(model, 1, 10, horizon).getFirst();
    // The other node's endpoint answered 429 with a Retry-After that ends within the first node's
    // ten slots, so the hold leaves the schedule's end where it was...
    otherNode.holdFor(model, Duration.ofSeconds(3));
    // ...and handing back nine slots would move it before the hold's end.
    limiter.release(model, 9);
    long next = otherNode.reserveSlots(model, 1, 1, horizon).getFirst();

    assertThat(next - first).isEqualTo(10_000_000);
  }

  @Test
  void counts_delays_on_the_node_clock_however_far_it_is_from_the_database_clock() {
    ModelId model = model().id();
    PostgresRateLimiter behind =
        new PostgresRateLimiter(
            store.database(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
    PostgresRateLimiter ahead =
        new PostgresRateLimiter(
            store.database(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(7)));

    List<Duration> first = behind.reserve(model, 1, 1, Duration.ofMinutes(1));
    List<Duration> second = ahead.reserve(model, 1, 1, Duration.ofMinutes(1));

    // The second node's slot is an interval (1 s) after the first's on the shared schedule; each
    // delay counts from its own node's now, so neither carries its clock's distance from the
    // database's (the first may be a little past: a limiter's first slot has no lead yet).
    assertThat(first)
        .singleElement()
        .satisfies(
            delay -> assertThat(delay).isBetween(Duration.ofMillis(-250), Duration.ofMillis(250)));
    assertThat(second)
        .singleElement()
        .satisfies(
            delay -> assertThat(delay).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
  }

  @Test
  void a_nul_in_a_name_is_bad_input_not_the_database_away() {
    assertThatThrownBy(() -> store.datasets().create("cam\u0000era", ""))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(failure.getMessage()).contains("U+0000");
            });
    assertThatThrownBy(() -> store.datasets().list(new PageRequest(Optional.of("AA"), 10)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.getMessage()).startsWith("cursor: "));
  }

  @Test
  void a_hold_pushes_the_next_slot_back() {
    PostgresRateLimiter limiter = new PostgresRateLimiter(store.database(), Clock.systemUTC());
    ModelId model = model().id();

    limiter.holdFor(model, Duration.ofSeconds(30));

    assertThat(limiter.reserve(model, 100, 1, Duration.ofSeconds(10))).isEmpty();
    List<Duration> later = limiter.reserve(model, 100, 1, Duration.ofMinutes(1));
    assertThat(later)
        .singleElement()
        .satisfies(
            delay -> assertThat(delay).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)));
  }

  /** The server URL, or the test class is skipped (or failed, under CI) with the reason. */
  private static String reachableServer() {
    try (Connection connection =
        DriverManager.getConnection(SERVER + "?connectTimeout=3", USER, "")) {
      assertThat(connection.isValid(3)).as("connection to " + SERVER).isTrue();
      return SERVER;
    } catch (SQLException e) {
      String reason =
          "PostgreSQL at 127.0.0.1:5432 (database test, user postgres) cannot be reached: "
              + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + " (CI=true: the PostgreSQL tests must run)", e);
      }
      Assumptions.abort(reason);
      throw new AssertionError("unreachable", e);
    }
  }

  private static void execute(String url, String sql) {
    try (Connection connection = DriverManager.getConnection(url, USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
