package org.openfoundry.server;

import java.util.function.Function;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** Reads typed ids from paths; a malformed id is simply not found. */
public final class Ids {
  private Ids() {}

  public static <T> T parse(
      String text, String prefix, Function<String, T> constructor, String what) {
    if (text == null || !text.startsWith(prefix) || text.length() <= prefix.length()) {
      throw new FoundryException(ErrorCode.NOT_FOUND, "no " + what + " with id " + text);
    }
    return constructor.apply(text);
  }
}
