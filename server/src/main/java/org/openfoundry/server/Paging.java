package org.openfoundry.server;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * Cursor paging on the API: {@code ?limit=N&cursor=C} in, {@code {"items": [...], "next_cursor":
 * "..."}} out; the cursor is absent on the last page.
 */
public final class Paging {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Paging() {}

  /** One page as the API writes it. */
  public record PageBody<T>(List<T> items, Optional<String> nextCursor) {
    public PageBody {
      items = List.copyOf(items);
    }
  }

  public static <T> PageBody<T> body(Page<T> page) {
    return new PageBody<>(page.items(), page.next());
  }

  /** Reads {@code cursor} and {@code limit} from the query string; 400 for a bad limit. */
  public static PageRequest request(Context ctx) {
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
