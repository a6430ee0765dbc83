package org.openfoundry.comparisons;

import java.util.Optional;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/** Stored comparisons with their answers and judgments. */
public interface ComparisonRepository {
  /** Stores a new comparison and its answers; it has no judgments yet. */
  void insert(Comparison comparison);

  Optional<Comparison> get(ComparisonId id);

  /** Comparisons oldest first, each with its answers and judgments. */
  Page<Comparison> list(PageRequest page);

  /** Adds a judgment to its comparison, which must exist. */
  void addJudgment(Judgment judgment);
}
