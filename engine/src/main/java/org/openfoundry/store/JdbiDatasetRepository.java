package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.datasets.NewDataRow;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Severity;
import org.openfoundry.problems.SourcePosition;

/** Datasets and rows in the store; imports insert a batch per transaction. */
final class JdbiDatasetRepository implements DatasetRepository {
  static final int IMPORT_BATCH = 1000;
  private static final int LOOKUP_CHUNK = 500;
  private static final String IMPORT_SOURCE = "data-rows";

  private final Database database;
  private final Clock clock;

  JdbiDatasetRepository(Database database, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Dataset create(String name, String description) {
    requireNonNull(description, "description is null");
    if (name == null || name.isBlank()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "name: expected a dataset name, got \"" + name + "\"");
    }
    DatasetId id = Ids.dataset();
    long now = clock.millis();
    database.write(
        handle ->
            handle
                .createUpdate(
                    """
                    INSERT INTO datasets (id, name, description, row_count, created_at)
                    VALUES (:id, :name, :description, 0, :now)
                    """)
                .bind("id", id.value())
                .bind("name", name.strip())
                .bind("description", description)
                .bind("now", now)
                .execute());
    return new Dataset(id, name.strip(), description, 0, Instant.ofEpochMilli(now));
  }

  @Override
  public Optional<Dataset> get(DatasetId id) {
    return database.read(
        handle ->
            handle
                .createQuery(
                    "SELECT id, name, description, row_count, created_at FROM datasets WHERE id = :id")
                .bind("id", id.value())
                .map((resultSet, context) -> dataset(resultSet))
                .findOne());
  }

  @Override
  public Page<Dataset> list(PageRequest page) {
    Optional<String> after = Cursors.decode(page.cursor());
    List<Dataset> rows =
        database.read(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT id, name, description, row_count, created_at FROM datasets
                        WHERE id > :after ORDER BY id LIMIT :limit
                        """)
                    .bind("after", after.orElse(""))
                    .bind("limit", page.limit() + 1)
                    .map((resultSet, context) -> dataset(resultSet))
                    .list());
    return Pages.of(rows, page, dataset -> Cursors.encode(dataset.id().value()));
  }

  @Override
  public ImportReport importRows(DatasetId dataset, Iterator<NewDataRow> rows) {
    requireNonNull(rows, "rows is null");
    if (get(dataset).isEmpty()) {
      throw notFound(dataset);
    }
    long imported = 0;
    long rejected = 0;
    List<Problem> problems = new ArrayList<>();
    List<NewDataRow> batch = new ArrayList<>(IMPORT_BATCH);
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == IMPORT_BATCH || !rows.hasNext()) {
        List<NewDataRow> duplicates = insertBatch(dataset, batch);
        imported += batch.size() - duplicates.size();
        rejected += duplicates.size();
        for (NewDataRow duplicate : duplicates) {
          if (problems.size() < ImportReport.MAX_PROBLEMS) {
            problems.add(duplicateKey(duplicate));
          }
        }
        batch.clear();
      }
    }
    return new ImportReport(imported, rejected, problems);
  }

  @Override
  public Page<DataRow> rows(DatasetId dataset, PageRequest page) {
    long after = Cursors.decodeSequence(page.cursor());
    List<Sequenced<DataRow>> rows =
        database.read(
            handle ->
                handle
                    .createQuery(
                        "SELECT d.seq, "
                            + DataRows.COLUMNS
                            + """
                            FROM data_rows d
                            WHERE d.dataset_id = :dataset AND d.seq > :after
                            ORDER BY d.seq LIMIT :limit
                            """)
                    .bind("dataset", dataset.value())
                    .bind("after", after)
                    .bind("limit", page.limit() + 1)
                    .map(
                        (resultSet, context) ->
                            new Sequenced<>(resultSet.getLong("seq"), DataRows.map(resultSet)))
                    .list());
    return Pages.of(rows, page, row -> Cursors.encode(row.sequence())).map(Sequenced::item);
  }

  @Override
  public List<DataRow> findByIds(Collection<DataRowId> ids) {
    return lookUp("d.id", ids.stream().map(DataRowId::value).distinct().toList());
  }

  @Override
  public List<DataRow> findByGlobalKeys(Collection<String> globalKeys) {
    return lookUp("d.global_key", globalKeys.stream().distinct().toList());
  }

  @Override
  public long count(DatasetId dataset) {
    return get(dataset).orElseThrow(() -> notFound(dataset)).rowCount();
  }

  /** Inserts the batch in one transaction; returns the rows refused for a taken global key. */
  private List<NewDataRow> insertBatch(DatasetId dataset, List<NewDataRow> batch) {
    long now = clock.millis();
    List<DataRowId> ids = batch.stream().map(row -> Ids.dataRow()).toList();
    return database.write(
        handle -> {
          PreparedBatch insert =
              handle.prepareBatch(
                  """
                  INSERT INTO data_rows
                    (id, dataset_id, global_key, row_data, media_type, attachments, metadata,
                     created_at)
                  VALUES (:id, :dataset, :globalKey, :rowData, :mediaType, :attachments,
                          :metadata, :now)
                  ON CONFLICT DO NOTHING
                  """);
          for (int i = 0; i < batch.size(); i++) {
            NewDataRow row = batch.get(i);
            insert
                .bind("id", ids.get(i).value())
                .bind("dataset", dataset.value())
                .bind("globalKey", row.globalKey().orElse(null))
                .bind("rowData", row.rowData())
                .bind("mediaType", row.mediaType().name())
                .bind("attachments", Json.write(row.attachments()))
                .bind("metadata", Json.write(row.metadata()))
                .bind("now", now)
                .add();
          }
          int[] counts = insert.execute();
          List<NewDataRow> duplicates = new ArrayList<>();
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
              duplicates.add(batch.get(i));
            }
          }
          handle
              .createUpdate("UPDATE datasets SET row_count = row_count + :added WHERE id = :id")
              .bind("added", batch.size() - duplicates.size())
              .bind("id", dataset.value())
              .execute();
          return duplicates;
        });
  }

  private List<DataRow> lookUp(String column, List<String> values) {
    List<DataRow> found = new ArrayList<>();
    for (int from = 0; from < values.size(); from += LOOKUP_CHUNK) {
      List<String> chunk = values.subList(from, Math.min(values.size(), from + LOOKUP_CHUNK));
      found.addAll(
          database.read(
              handle ->
                  handle
                      .createQuery(
                          "SELECT "
                              + DataRows.COLUMNS
                              + " FROM data_rows d WHERE "
                              + column
                              + " IN (<values>)")
                      .bindList("values", chunk)
                      .map((resultSet, context) -> DataRows.map(resultSet))
                      .list()));
    }
    return found;
  }

  private static Problem duplicateKey(NewDataRow row) {
    String key = row.globalKey().orElseThrow();
    return new Problem(
        Severity.ERROR,
        "global_key",
        Optional.of(new SourcePosition(IMPORT_SOURCE, clampLine(row.line()), 1)),
        "global key \"" + key + "\" is already taken by another data row");
  }

  private static int clampLine(long line) {
    return (int) Math.min(Integer.MAX_VALUE, line);
  }

  private static Dataset dataset(ResultSet resultSet) throws SQLException {
    return new Dataset(
        new DatasetId(resultSet.getString("id")),
        resultSet.getString("name"),
        resultSet.getString("description"),
        resultSet.getLong("row_count"),
        Instant.ofEpochMilli(resultSet.getLong("created_at")));
  }

  private static FoundryException notFound(DatasetId id) {
    return new FoundryException(ErrorCode.NOT_FOUND, "dataset " + id + " does not exist");
  }

  /** An item with the sequence number its page cursor is made of. */
  record Sequenced<T>(long sequence, T item) {}
}
