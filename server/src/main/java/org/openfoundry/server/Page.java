package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list, written as {@code {"items": [...], "next_cursor": "..."}}; the cursor is
 * absent on the last page.
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    requireNonNull(nextCursor, "nextCursor is null");
  }

  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor);
  }
}
