package org.openfoundry.paging;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Asks for up to {@code limit} items after {@code cursor} (empty for the first page). */
public record PageRequest(Optional<String> cursor, int limit) {
  /** The largest page a caller may ask for. */
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    requireNonNull(cursor, "cursor is null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit: expected a number within 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }

  public static PageRequest after(String cursor, int limit) {
    return new PageRequest(Optional.of(cursor), limit);
  }
}
