package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openfoundry.models.ModelId;
import org.openfoundry.ratelimit.RateLimiter;

/**
 * The rate limit every node shares on PostgreSQL: GCRA on one row per model holding the theoretical
 * arrival time (TAT) of the model's next request, read and moved in one short transaction on the
 * database clock, so that nodes whose clocks disagree still space their requests.
 */
public final class PostgresRateLimiter implements RateLimiter {
  private static final long MICROS_PER_SECOND = 1_000_000L;

  private final Database database;
  private final Map<ModelId, Latest> latest = new ConcurrentHashMap<>();

  /** This node's latest reservation of a model, in microseconds of the database clock. */
  private record Latest(long start, double interval, int slots) {
    long end() {
      return start + Math.round(slots * interval);
    }
  }

  public PostgresRateLimiter(Database database) {
    this.database = requireNonNull(database, "database is null");
    if (database.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException(
          "the shared rate limiter needs PostgreSQL; on SQLite use the in-memory limiter");
    }
  }

  @Override
  public List<Duration> reserve(
      ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
    Reservation reservation = reserveSlots(model, requestsPerSecond, wanted, horizon);
    List<Duration> delays = new ArrayList<>(reservation.slots().size());
    for (long slot : reservation.slots()) {
      delays.add(Duration.ofNanos((slot - reservation.now()) * 1000));
    }
    return delays;
  }

  @Override
  public void holdFor(ModelId model, Duration delay) {
    requireNonNull(delay, "delay is null");
    long micros = Math.max(0, delay.toNanos() / 1000);
    database.write(
        handle ->
            handle
                .createUpdate(
                    """
                    INSERT INTO rate_limits (model_id, tat_us)
                    VALUES (:model, CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)
                                    + :delay)
                    ON CONFLICT (model_id)
                    DO UPDATE SET tat_us = GREATEST(rate_limits.tat_us, excluded.tat_us)
                    """)
                .bind("model", model.value())
                .bind("delay", micros)
                .execute());
  }

  /**
   * Reserves the slots: the first starts at the later of now and the TAT, each next one an emission
   * interval later, as many as wanted that start within the horizon; the TAT moves past the last.
   */
  Reservation reserveSlots(ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
    requireNonNull(model, "model is null");
    requireNonNull(horizon, "horizon is null");
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException(
          "requestsPerSecond: expected a positive number, got " + requestsPerSecond);
    }
    if (wanted < 1) {
      return new Reservation(0, List.of());
    }
    double interval = MICROS_PER_SECOND / requestsPerSecond;
    long horizonMicros = horizon.toNanos() / 1000;
    Reservation reservation = reserveInTransaction(model, interval, wanted, horizonMicros);
    if (!reservation.slots().isEmpty()) {
      latest.put(
          model, new Latest(reservation.slots().getFirst(), interval, reservation.slots().size()));
    }
    return reservation;
  }

  private Reservation reserveInTransaction(
      ModelId model, double interval, int wanted, long horizonMicros) {
    return database.write(
        handle -> {
          // The upsert takes the row lock first; clock_timestamp() is read after it is held.
          record Row(long tat, long now) {}
          Row row =
              handle
                  .createQuery(
                      """
                      INSERT INTO rate_limits (model_id, tat_us) VALUES (:model, 0)
                      ON CONFLICT (model_id) DO UPDATE SET tat_us = rate_limits.tat_us
                      RETURNING tat_us,
                        CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) AS now_us
                      """)
                  .bind("model", model.value())
                  .map((rs, context) -> new Row(rs.getLong("tat_us"), rs.getLong("now_us")))
                  .one();
          long start = Math.max(row.tat(), row.now());
          long lastAllowed = row.now() + horizonMicros;
          List<Long> slots = new ArrayList<>();
          for (int k = 0; k < wanted; k++) {
            long slot = start + Math.round(k * interval);
            if (slot > lastAllowed) {
              break;
            }
            slots.add(slot);
          }
          if (!slots.isEmpty()) {
            handle
                .createUpdate("UPDATE rate_limits SET tat_us = :tat WHERE model_id = :model")
                .bind("tat", new Latest(start, interval, slots.size()).end())
                .bind("model", model.value())
                .execute();
          }
          return new Reservation(row.now(), slots);
        });
  }

  @Override
  public void release(ModelId model, int unused) {
    requireNonNull(model, "model is null");
    Latest reservation = latest.remove(model);
    if (reservation == null || unused < 1) {
      return;
    }
    long kept = reservation.slots() - Math.min(unused, reservation.slots());
    // Only while the TAT is still where this reservation left it: nobody has taken later slots.
    database.write(
        handle ->
            handle
                .createUpdate(
                    "UPDATE rate_limits SET tat_us = :kept WHERE model_id = :model AND tat_us = :end")
                .bind("kept", reservation.start() + Math.round(kept * reservation.interval()))
                .bind("model", model.value())
                .bind("end", reservation.end())
                .execute());
  }

  /** Slots as microseconds of the database clock, and that clock when they were reserved. */
  record Reservation(long now, List<Long> slots) {
    Reservation {
      slots = List.copyOf(slots);
    }
  }
}
