package org.openfoundry.ratelimit;

import java.time.Duration;
import java.util.List;
import org.openfoundry.models.ModelId;

/**
 * A per-model rate limit that hands out start times. At {@code requestsPerSecond} r, starts are
 * spaced by 1/r seconds (GCRA's emission interval), so no window ever holds more than one request
 * above the allowance, on one node or across all nodes sharing the limiter.
 */
public interface RateLimiter {

  /**
   * Reserves up to {@code wanted} start slots for the model that fall within {@code horizon} from
   * now, and returns for each the delay from now after which that request may start (in order). An
   * empty list means the next slot lies beyond the horizon.
   */
  List<Duration> reserve(ModelId model, double requestsPerSecond, int wanted, Duration horizon);

  /**
   * Gives back the last {@code unused} slots of the latest reservation the calling thread made for
   * the model, the ones its claim found no task for, provided no reservation (by another thread of
   * this node or on any node) or hold came after it; otherwise they stay spent, which slows the
   * model but never lets it go faster, and never hands a slot out twice.
   */
  void release(ModelId model, int unused);

  /** Pushes the model's next slot to at least {@code delay} from now (a 429's Retry-After). */
  void holdFor(ModelId model, Duration delay);

  /**
   * Whether other nodes take slots from the same schedule. Their slots then sit between this
   * node's, one interval apart, and only a call that starts close to its own slot keeps every
   * window within its allowance: a call that is late must give its slot up and reserve another.
   */
  default boolean sharedAcrossNodes() {
    return false;
  }
}
