package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * A request for one page of a list: an opaque cursor from the previous page's {@code next_cursor},
 * and a limit from 1 to {@value #MAX_LIMIT} ({@value #DEFAULT_LIMIT} when not given).
 */
public record PageRequest(Optional<String> cursor, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public PageRequest {
    requireNonNull(cursor, "cursor is null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }

  /** Reads {@code cursor} and {@code limit} from the query string; 400 for a bad limit. */
  public static PageRequest from(Context ctx) {
    String cursor = ctx.queryParam("cursor");
    String limitText = ctx.queryParam("limit");
    int limit = DEFAULT_LIMIT;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText.trim());
      } catch (NumberFormatException notNumber) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new FoundryException(
            ErrorCode.INVALID_INPUT,
            "invalid limit",
            List.of(
                Problem.error(
                    "limit",
                    "expected a whole number from 1 to "
                        + MAX_LIMIT
                        + ", got \""
                        + limitText
                        + "\"")));
      }
    }
    return new PageRequest(
        cursor == null || cursor.isBlank() ? Optional.empty() : Optional.of(cursor), limit);
  }
}
