package org.openfoundry.datasets;

import java.util.List;
import org.openfoundry.problems.Problem;

/**
 * What an import did: how many rows it stored, and the rows it refused, each a problem pointing at
 * its line. Only the first {@link #MAX_PROBLEMS} problems are kept; {@code rejected} counts all.
 */
public record ImportReport(long imported, long rejected, List<Problem> problems) {
  /** How many problems a report keeps, so that a bad million-row file cannot fill the memory. */
  public static final int MAX_PROBLEMS = 1000;

  public ImportReport {
    problems = List.copyOf(problems);
    if (imported < 0 || rejected < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, got imported " + imported + ", rejected " + rejected);
    }
  }

  public boolean isClean() {
    return rejected == 0;
  }
}
