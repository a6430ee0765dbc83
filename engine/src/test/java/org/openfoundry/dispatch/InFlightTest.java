package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final InFlight inFlight = new InFlight();

  @Test
  void keeps_two_leases_of_one_task_apart_until_each_is_removed() {
    LeasedTask lapsed = leased(1, "token-1", NOW.plusSeconds(10));
    LeasedTask held = leased(2, "token-2", NOW.plusSeconds(60));
    inFlight.add(lapsed);
    inFlight.add(held);

    assertThat(inFlight.count(Runs.MODEL)).isEqualTo(2);
    // The lapsed lease's call ends and its completion is written (and refused).
    inFlight.remove(lapsed);

    assertThat(inFlight.count(Runs.MODEL)).isEqualTo(1);
    assertThat(inFlight.endingBy(NOW.plusSeconds(60))).containsExactly(held);
    inFlight.renewed(List.of(held), Set.of(held.id()), NOW.plusSeconds(120));
    assertThat(inFlight.endingBy(NOW.plusSeconds(60))).isEmpty();
    inFlight.remove(held);
    assertThat(inFlight.isEmpty()).isTrue();
  }

  private static LeasedTask leased(int attempt, String token, Instant expiresAt) {
    return Runs.task(attempt, 0, new Lease("node-a", token, expiresAt));
  }
}
