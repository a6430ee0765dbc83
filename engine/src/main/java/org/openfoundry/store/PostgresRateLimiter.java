package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>Slots are instants of the database clock; each node turns them into delays on its own clock
 * through the offset between the two, measured on the quickest of a few round trips and measured
 * again every {@link #CALIBRATION_AGE}. A slot must not depend on how long its reservation took to
 * come back (the commit's flush varies by milliseconds), or the slots of two nodes would drift
 * towards each other. For the same reason the first slot of a model that was idle lies one recent
 * reservation's round trip ahead of the database clock, not at it: otherwise it would be past
 * already when this node learns of it.
 */
public final class PostgresRateLimiter implements RateLimiter {
  private static final long MICROS_PER_SECOND = 1_000_000L;

  /** How long a measured clock offset is trusted. */
  static final Duration CALIBRATION_AGE = Duration.ofSeconds(30);

  private static final int CALIBRATION_ROUND_TRIPS = 5;

  /** The most lead an idle model's first slot is given, however slow reservations are. */
  private static final long MOST_LEAD_MICROS = 250_000;

  private final Database database;
  private final Clock clock;
  private final Map<ModelId, Latest> latest = new ConcurrentHashMap<>();
  private volatile Offset offset;
  private volatile long leadMicros;

  /** The database clock minus this node's, and when (on this node's clock) that was measured. */
  private record Offset(long micros, long roundTripMicros, long measuredAt) {}

  /**
   * This node's latest reservation of a model, in microseconds of the database clock, the thread
   * that made it and the schedule's generation it left.
   */
  private record Latest(Thread owner, long start, double interval, int slots, long generation) {}

  public PostgresRateLimiter(Database database, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (database.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException(
          "the shared rate limiter needs PostgreSQL; on SQLite use the in-memory limiter");
    }
  }

  @Override
  public List<Duration> reserve(
      ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
    long databaseAhead = offsetMicros();
    List<Long> slots = reserveSlots(model, requestsPerSecond, wanted, horizon);
    // Delays count from now on this node's clock, whatever the reservation's round trip took.
    long now = micros(clock.instant()) + databaseAhead;
    List<Duration> delays = new ArrayList<>(slots.size());
    for (long slot : slots) {
      delays.add(Duration.ofNanos((slot - now) * 1000));
    }
    return delays;
  }

  @Override
  public boolean sharedAcrossNodes() {
    return true;
  }

  /** How far the database clock is ahead of this node's, in microseconds. */
  long offsetMicros() {
    Offset current = offset;
    if (current == null
        || micros(clock.instant()) - current.measuredAt() > CALIBRATION_AGE.toNanos() / 1000) {
      current = calibrate();
      offset = current;
    }
    return current.micros();
  }

  /**
   * Reads the database clock a few times and keeps the quickest round trip's reading, taken to be
   * that of the round trip's middle: its error is at most half that round trip.
   */
  private Offset calibrate() {
    return database.read(
        handle -> {
          Offset best = null;
          for (int trip = 0; trip < CALIBRATION_ROUND_TRIPS; trip++) {
            long before = micros(clock.instant());
            long databaseNow =
                handle
                    .createQuery(
                        "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)")
                    .mapTo(Long.class)
                    .one();
            long after = micros(clock.instant());
            Offset sample = new Offset(databaseNow - (before + after) / 2, after - before, after);
            if (best == null || sample.roundTripMicros() < best.roundTripMicros()) {
              best = sample;
            }
          }
          return best;
        });
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * MICROS_PER_SECOND + instant.getNano() / 1000;
  }

  @Override
  public void holdFor(ModelId model, Duration delay) {
    requireNonNull(delay, "delay is null");
    // As on one node: this node's latest slots are not handed back after a hold.
    latest.remove(model);
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
                    DO UPDATE SET tat_us = GREATEST(rate_limits.tat_us, excluded.tat_us),
                                  generation = rate_limits.generation + 1
                    """)
                .bind("model", model.value())
                .bind("delay", micros)
                .execute());
  }

  /**
   * Reserves the slots: the first starts at the later of the TAT and now plus the lead (the latest
   * reservation's round trip), each next one an emission interval later, as many as wanted that
   * start within the horizon of that lead; the TAT moves past the last. Slots are microseconds of
   * the database clock.
   */
  List<Long> reserveSlots(ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
    requireNonNull(model, "model is null");
    requireNonNull(horizon, "horizon is null");
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException(
          "requestsPerSecond: expected a positive number, got " + requestsPerSecond);
    }
    if (wanted < 1) {
      return List.of();
    }
    double interval = MICROS_PER_SECOND / requestsPerSecond;
    long horizonMicros = horizon.toNanos() / 1000;
    long sent = micros(clock.instant());
    Reservation reservation =
        reserveInTransaction(model, interval, wanted, leadMicros, horizonMicros);
    leadMicros = Math.min(MOST_LEAD_MICROS, Math.max(0, micros(clock.instant()) - sent));
    List<Long> slots = reservation.slots();
    if (!slots.isEmpty()) {
      latest.put(
          model,
          new Latest(
              Thread.currentThread(),
              slots.getFirst(),
              interval,
              slots.size(),
              reservation.generation()));
    }
    return slots;
  }

  /** The slots reserved and the schedule's generation the reservation left. */
  private record Reservation(List<Long> slots, long generation) {}

  private Reservation reserveInTransaction(
      ModelId model, double interval, int wanted, long lead, long horizonMicros) {
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
                  .map(
                      (resultSet, context) ->
                          new Row(resultSet.getLong("tat_us"), resultSet.getLong("now_us")))
                  .one();
          long start = Math.max(row.tat(), row.now() + lead);
          long lastAllowed = row.now() + lead + horizonMicros;
          List<Long> slots = new ArrayList<>();
          for (int k = 0; k < wanted; k++) {
            long slot = start + Math.round(k * interval);
            if (slot > lastAllowed) {
              break;
            }
            slots.add(slot);
          }
          if (slots.isEmpty()) {
            return new Reservation(List.of(), -1);
          }
          long generation =
              handle
                  .createQuery(
                      """
                      UPDATE rate_limits SET tat_us = :tat, generation = generation + 1
                      WHERE model_id = :model
                      RETURNING generation
                      """)
                  .bind("tat", start + Math.round(slots.size() * interval))
                  .bind("model", model.value())
                  .mapTo(Long.class)
                  .one();
          return new Reservation(List.copyOf(slots), generation);
        });
  }

  @Override
  public void release(ModelId model, int unused) {
    requireNonNull(model, "model is null");
    Latest reservation = latest.get(model);
    if (reservation == null || reservation.owner() != Thread.currentThread()) {
      return;
    }
    latest.remove(model, reservation);
    if (unused < 1) {
      return;
    }
    long kept = reservation.slots() - Math.min(unused, reservation.slots());
    // Only while nothing has changed the schedule since this reservation: no node has taken later
    // slots, and no hold has been placed that the refund would erase.
    database.write(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE rate_limits SET tat_us = :kept, generation = generation + 1
                    WHERE model_id = :model AND generation = :generation
                    """)
                .bind("kept", reservation.start() + Math.round(kept * reservation.interval()))
                .bind("model", model.value())
                .bind("generation", reservation.generation())
                .execute());
  }
}
