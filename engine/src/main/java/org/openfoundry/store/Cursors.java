package org.openfoundry.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/** Opaque page cursors over a position (a sequence number or an id). */
final class Cursors {
  private Cursors() {}

  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  static String encode(long sequence) {
    return encode(Long.toString(sequence));
  }

  static Optional<String> decode(Optional<String> cursor) {
    return cursor.map(Cursors::decode);
  }

  static long decodeSequence(Optional<String> cursor) {
    return decode(cursor)
        .map(
            position -> {
              try {
                return Long.parseLong(position);
              } catch (NumberFormatException e) {
                throw invalid(cursor.orElseThrow());
              }
            })
        .orElse(0L);
  }

  private static String decode(String cursor) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(cursor);
    }
    // No cursor this server hands out holds a NUL, which PostgreSQL would refuse to compare.
    if (decoded.indexOf('\0') >= 0) {
      throw invalid(cursor);
    }
    return decoded;
  }

  private static FoundryException invalid(String cursor) {
    String problem = "expected the cursor of a page returned earlier, got \"" + cursor + "\"";
    return new FoundryException(
        ErrorCode.INVALID_INPUT, "cursor: " + problem, List.of(Problem.error("cursor", problem)));
  }
}
