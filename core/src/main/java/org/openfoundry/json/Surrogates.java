package org.openfoundry.json;

import java.util.Map;
import java.util.Optional;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;

/**
 * Finds half of a UTF-16 surrogate pair without its other half, which JSON's {@code "\ud800"}
 * escape can make: it is not a character, and the databases store it as {@code ?}, so such text is
 * refused rather than stored changed.
 */
public final class Surrogates {
  private Surrogates() {}

  /**
   * Where in {@code node} (a path below {@code path}: {@code name}, {@code tags[1]}, {@code
   * meta.note}) the first unpaired surrogate is, and what it is; empty when there is none. The JSON
   * parser already refuses one in an object's key, so only values are looked at.
   */
  public static Optional<Problem> firstUnpaired(String path, JsonNode node) {
    if (node.isString()) {
      return firstUnpaired(path, node.asString());
    }
    if (node.isArray()) {
      int index = 0;
      for (JsonNode element : node.values()) {
        Optional<Problem> found = firstUnpaired(path + "[" + index++ + "]", element);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
        Optional<Problem> found = firstUnpaired(child, property.getValue());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** As above for one text: at {@code path}, {@code contains the unpaired surrogate U+D800 ...}. */
  public static Optional<Problem> firstUnpaired(String path, String text) {
    int unpaired = unpairedIndex(text);
    if (unpaired < 0) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.error(
            path,
            String.format(
                "contains the unpaired surrogate U+%04X at index %d, half of a character without"
                    + " its other half, which cannot be stored",
                (int) text.charAt(unpaired), unpaired)));
  }

  /** The index of the first surrogate without its other half; -1 when there is none. */
  private static int unpairedIndex(String text) {
    for (int index = 0; index < text.length(); index++) {
      char unit = text.charAt(index);
      if (Character.isHighSurrogate(unit)
          && index + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(index + 1))) {
        index++;
      } else if (Character.isSurrogate(unit)) {
        return index;
      }
    }
    return -1;
  }
}
