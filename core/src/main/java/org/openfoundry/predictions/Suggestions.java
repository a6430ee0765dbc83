package org.openfoundry.predictions;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** "Did you mean" for names a model got nearly right. */
final class Suggestions {
  private static final int LISTED = 12;

  private Suggestions() {}

  /**
   * The candidate closest to {@code name} by edit distance, ignoring case and the difference
   * between {@code _}, {@code -} and spaces, when it is close enough to be a likely typo.
   */
  static Optional<String> closest(String name, Collection<String> candidates) {
    String wanted = normalize(name);
    int allowed = Math.max(2, wanted.length() / 3);
    return candidates.stream()
        .map(candidate -> new Scored(candidate, distance(wanted, normalize(candidate))))
        .filter(scored -> scored.distance() <= allowed)
        .min(Comparator.comparingInt(Scored::distance))
        .map(Scored::candidate);
  }

  /** {@code ; did you mean "cat"?} or nothing. */
  static String didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(found -> "; did you mean \"" + found + "\"?").orElse("");
  }

  /** The candidates for an "expected one of" list, shortened when there are many. */
  static String list(Collection<String> candidates) {
    String shown = candidates.stream().limit(LISTED).collect(Collectors.joining(", "));
    return candidates.size() > LISTED ? shown + ", ... (" + candidates.size() + " in all)" : shown;
  }

  private static String normalize(String text) {
    return text.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
  }

  private static int distance(String from, String to) {
    int[] previous = new int[to.length() + 1];
    int[] current = new int[to.length() + 1];
    for (int column = 0; column <= to.length(); column++) {
      previous[column] = column;
    }
    for (int row = 1; row <= from.length(); row++) {
      current[0] = row;
      for (int column = 1; column <= to.length(); column++) {
        int substitution = from.charAt(row - 1) == to.charAt(column - 1) ? 0 : 1;
        current[column] =
            Math.min(
                Math.min(current[column - 1] + 1, previous[column] + 1),
                previous[column - 1] + substitution);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[to.length()];
  }

  private record Scored(String candidate, int distance) {}
}
