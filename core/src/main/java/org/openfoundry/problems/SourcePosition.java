package org.openfoundry.problems;

import static java.util.Objects.requireNonNull;

/** A place in a named source, 1-based line and column, printed as {@code file:line:column}. */
public record SourcePosition(String source, int line, int column) {
  public SourcePosition {
    requireNonNull(source, "source is null");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1, got " + line);
    }
    if (column < 1) {
      throw new IllegalArgumentException("column must be >= 1, got " + column);
    }
  }

  @Override
  public String toString() {
    return source + ":" + line + ":" + column;
  }
}
