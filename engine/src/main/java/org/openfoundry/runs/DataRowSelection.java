package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;

/** Which data rows a run covers: a whole dataset, or lists of ids or of global keys. */
public sealed interface DataRowSelection {

  /** Every row of the dataset, in import order. */
  record WholeDataset(DatasetId dataset) implements DataRowSelection {
    public WholeDataset {
      requireNonNull(dataset, "dataset is null");
    }
  }

  /** These rows, in this order; repeats count once. */
  record ByIds(List<DataRowId> ids) implements DataRowSelection {
    public ByIds {
      ids = List.copyOf(ids);
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("data_row_ids: expected at least one id");
      }
    }
  }

  /** The rows with these global keys, in this order; repeats count once. */
  record ByGlobalKeys(List<String> globalKeys) implements DataRowSelection {
    public ByGlobalKeys {
      globalKeys = List.copyOf(globalKeys);
      if (globalKeys.isEmpty()) {
        throw new IllegalArgumentException("global_keys: expected at least one key");
      }
    }
  }
}
