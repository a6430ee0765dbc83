package org.openfoundry.problems;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word closest to a mistyped one, for "did you mean" hints. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code given} by edit distance, when it is close enough to be a typo:
   * at most two edits, or a third of the word for long words. Case, {@code _} and {@code -} are
   * ignored, so {@code requestsPerSecond} suggests {@code requests_per_second}.
   */
  public static Optional<String> closest(String given, Collection<String> candidates) {
    String wanted = normalize(given);
    int allowed = Math.max(2, wanted.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(wanted, normalize(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null || bestDistance > allowed || bestDistance >= wanted.length()) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** {@code " (did you mean `requests_per_second`?)"}, or nothing when no candidate is close. */
  public static String didYouMean(String given, Collection<String> candidates) {
    return closest(given, candidates).map(match -> " (did you mean `" + match + "`?)").orElse("");
  }

  private static String normalize(String word) {
    return word.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Optimal string alignment distance: Levenshtein plus transposition of two neighbours. */
  static int distance(String left, String right) {
    int[][] table = new int[left.length() + 1][right.length() + 1];
    for (int i = 0; i <= left.length(); i++) {
      table[i][0] = i;
    }
    for (int j = 0; j <= right.length(); j++) {
      table[0][j] = j;
    }
    for (int i = 1; i <= left.length(); i++) {
      for (int j = 1; j <= right.length(); j++) {
        int cost = left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1;
        int best =
            Math.min(
                Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1), table[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && left.charAt(i - 1) == right.charAt(j - 2)
            && left.charAt(i - 2) == right.charAt(j - 1)) {
          best = Math.min(best, table[i - 2][j - 2] + 1);
        }
        table[i][j] = best;
      }
    }
    return table[left.length()][right.length()];
  }
}
