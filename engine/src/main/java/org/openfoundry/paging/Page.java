package org.openfoundry.paging;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of items in a stable order; {@code next} is the cursor of the following page, if any.
 */
public record Page<T>(List<T> items, Optional<String> next) {
  public Page {
    items = List.copyOf(items);
    requireNonNull(next, "next is null");
  }

  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    return new Page<>(items.stream().<R>map(mapper).toList(), next);
  }

  /** The request for the following page, with the same limit. */
  public Optional<PageRequest> nextRequest(int limit) {
    return next.map(cursor -> PageRequest.after(cursor, limit));
  }
}
