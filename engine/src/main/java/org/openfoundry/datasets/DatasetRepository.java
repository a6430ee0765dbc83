package org.openfoundry.datasets;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/**
 * Datasets and their rows. Global keys are unique across all datasets; a row whose key is taken is
 * refused on its own, with a problem naming the key and the line, and the import goes on.
 */
public interface DatasetRepository {

  Dataset create(String name, String description);

  Optional<Dataset> get(DatasetId id);

  /** Datasets, oldest first. */
  Page<Dataset> list(PageRequest page);

  /**
   * Imports rows in batches, each in its own transaction, reading the iterator once and never
   * holding more than a batch in memory.
   */
  ImportReport importRows(DatasetId dataset, Iterator<NewDataRow> rows);

  /** The dataset's rows in import order. */
  Page<DataRow> rows(DatasetId dataset, PageRequest page);

  /** The rows among {@code ids} that exist, in no particular order. */
  List<DataRow> findByIds(Collection<DataRowId> ids);

  /** The rows among {@code globalKeys} that exist, in no particular order. */
  List<DataRow> findByGlobalKeys(Collection<String> globalKeys);

  /** How many rows the dataset holds, without counting them. */
  long count(DatasetId dataset);
}
