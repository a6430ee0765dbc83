package org.openfoundry.predictions;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Checks a named-entity span against the row text. Offsets count UTF-16 code units, {@code end}
 * exclusive. Where the span's own text disagrees with its offsets, the text is the evidence: the
 * span moves to the occurrence of that text nearest the given start, with a warning.
 */
final class EntitySpans {
  private EntitySpans() {}

  static Optional<Prediction> span(
      String feature,
      Offsets offsets,
      Optional<String> text,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    if (text.isPresent() && text.get().isEmpty()) {
      run.error(path, "span text is empty; expected the characters the span covers");
      return Optional.empty();
    }
    Optional<String> rowText = run.context().rowText();
    if (rowText.isEmpty()) {
      return unchecked(feature, offsets, text, score, nested, path, run);
    }
    String row = rowText.get();
    boolean inside =
        offsets.start() >= 0 && offsets.end() > offsets.start() && offsets.end() <= row.length();
    if (text.isEmpty()) {
      if (!inside) {
        run.error(path, outside(offsets, row) + " and the span has no text to repair it from");
        return Optional.empty();
      }
      String covered = row.substring(offsets.start(), offsets.end());
      return Optional.of(
          new EntitySpan(feature, offsets.start(), offsets.end(), covered, score, nested));
    }
    String wanted = text.get();
    if (inside && row.substring(offsets.start(), offsets.end()).equals(wanted)) {
      return Optional.of(
          new EntitySpan(feature, offsets.start(), offsets.end(), wanted, score, nested));
    }
    OptionalInt nearest = nearest(row, wanted, offsets.start());
    if (nearest.isEmpty()) {
      run.error(path, "span text " + Values.quote(wanted) + " is nowhere in the row text");
      return Optional.empty();
    }
    int start = nearest.getAsInt();
    int end = start + wanted.length();
    String found =
        inside
            ? "offsets "
                + offsets
                + " cover "
                + Values.quote(row.substring(offsets.start(), offsets.end()))
            : outside(offsets, row);
    run.warning(
        path,
        found
            + " but the span text is "
            + Values.quote(wanted)
            + "; repaired to "
            + start
            + ".."
            + end
            + ", its occurrence nearest "
            + offsets.start());
    return Optional.of(new EntitySpan(feature, start, end, wanted, score, nested));
  }

  private static Optional<Prediction> unchecked(
      String feature,
      Offsets offsets,
      Optional<String> text,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    if (offsets.start() < 0 || offsets.end() <= offsets.start()) {
      run.error(path, "offsets " + offsets + ": expected 0 <= start < end");
      return Optional.empty();
    }
    run.warningOnce(
        "entity-offsets-unchecked",
        path,
        "the row text is not known, so entity offsets are not checked against it");
    return Optional.of(
        new EntitySpan(feature, offsets.start(), offsets.end(), text.orElse(""), score, nested));
  }

  private static String outside(Offsets offsets, String row) {
    if (offsets.end() <= offsets.start()) {
      return "offsets " + offsets + " are not a span (expected start < end)";
    }
    return "offsets " + offsets + " lie outside the " + row.length() + "-character row text";
  }

  /** The start of the occurrence of {@code text} nearest {@code start}; the earlier on a tie. */
  static OptionalInt nearest(String row, String text, int start) {
    int best = -1;
    for (int at = row.indexOf(text); at >= 0; at = row.indexOf(text, at + 1)) {
      if (best < 0 || Math.abs((long) at - start) < Math.abs((long) best - start)) {
        best = at;
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /** Offsets as given, {@code end} exclusive. */
  record Offsets(int start, int end) {
    @Override
    public String toString() {
      return start + ".." + end;
    }
  }
}
