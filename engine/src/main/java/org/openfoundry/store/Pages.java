package org.openfoundry.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/** Turns "limit + 1" rows into a page and the cursor of the next one. */
final class Pages {
  private Pages() {}

  /** {@code rows} were read with {@code limit + 1}; the extra row only says that more follow. */
  static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, String> cursorOf) {
    if (rows.size() <= request.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, request.limit());
    return new Page<>(items, Optional.of(cursorOf.apply(items.getLast())));
  }
}
