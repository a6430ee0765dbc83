package org.openfoundry.server.datasets;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowReader;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.datasets.NewDataRow;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Access;
import org.openfoundry.server.ApiErrors;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Paging;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import org.openfoundry.server.files.FileStore;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/datasets}: create, list, read, import rows, list rows. */
public final class DatasetsResource implements Resource {
  static final String NDJSON = "application/x-ndjson";

  private final DatasetRepository datasets;
  private final FileStore files;
  private final long maxImportBytes;
  private final int maxLineLength;
  private final Path spoolFolder;

  /** {@code spoolFolder} holds each import's body while it is imported. */
  public DatasetsResource(
      DatasetRepository datasets,
      FileStore files,
      long maxImportBytes,
      int maxLineLength,
      Path spoolFolder) {
    this.datasets = requireNonNull(datasets, "datasets is null");
    this.files = requireNonNull(files, "files is null");
    this.maxImportBytes = maxImportBytes;
    this.maxLineLength = maxLineLength;
    this.spoolFolder = requireNonNull(spoolFolder, "spoolFolder is null");
  }

  record DatasetView(String id, String name, String description, long rowCount, Instant createdAt) {
    static DatasetView of(Dataset dataset) {
      return new DatasetView(
          dataset.id().value(),
          dataset.name(),
          dataset.description(),
          dataset.rowCount(),
          dataset.createdAt());
    }
  }

  record RowView(
      String id,
      String datasetId,
      Optional<String> globalKey,
      String rowData,
      String mediaType,
      JsonNode attachments,
      JsonNode metadata) {
    static RowView of(DataRow row) {
      return new RowView(
          row.id().value(),
          row.datasetId().value(),
          row.globalKey(),
          row.rowData(),
          row.mediaType().word(),
          row.attachments(),
          row.metadata());
    }
  }

  /** What an import did; each problem names the line of the row it refused. */
  record ImportView(long imported, long rejected, List<Map<String, Object>> problems) {}

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/datasets", Access.MEMBER, this::create);
    routes.get("/api/v1/datasets", Access.MEMBER, this::list);
    routes.get("/api/v1/datasets/{id}", Access.MEMBER, this::get);
    routes.post("/api/v1/datasets/{id}/data-rows", Access.MEMBER, this::importRows);
    routes.get("/api/v1/datasets/{id}/data-rows", Access.MEMBER, this::rows);
  }

  private void create(Context ctx) {
    Fields fields = new Fields(Requests.jsonObject(ctx));
    String name = fields.requiredString("name");
    String description = fields.string("description").orElse("");
    fields.rejectUnknown().throwIfErrors("invalid dataset");
    ctx.status(201).json(DatasetView.of(datasets.create(name, description)));
  }

  private void list(Context ctx) {
    ctx.json(Paging.body(datasets.list(Paging.request(ctx)).map(DatasetView::of)));
  }

  private void get(Context ctx) {
    ctx.json(DatasetView.of(dataset(ctx)));
  }

  private void rows(Context ctx) {
    Dataset dataset = dataset(ctx);
    ctx.json(Paging.body(datasets.rows(dataset.id(), Paging.request(ctx)).map(RowView::of)));
  }

  private void importRows(Context ctx) {
    Dataset dataset = dataset(ctx);
    String type =
        Requests.requireMediaType(ctx, List.of(Requests.JSON, NDJSON, "application/jsonl"));
    // Rows are committed a batch at a time: the body is held whole first, so that one refused as
    // too large, or cut off by its client, stores none of its rows.
    Path spooled = Requests.spooledBody(ctx, maxImportBytes, spoolFolder);
    try (InputStream body = Files.newInputStream(spooled)) {
      DataRowReader reader =
          type.equals(Requests.JSON)
              ? DataRowReader.jsonArray(body, this::missingFile)
              : DataRowReader.ndjson(body, maxLineLength, this::missingFile);
      ImportReport report = reader.report(datasets.importRows(dataset.id(), reader));
      ctx.json(
          new ImportView(
              report.imported(),
              report.rejected(),
              report.problems().stream().map(ApiErrors::detail).toList()));
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } finally {
      Requests.deleteQuietly(spooled);
    }
  }

  /** Refuses a row whose {@code row_data} names an uploaded file there is none of. */
  private Optional<Problem> missingFile(NewDataRow row) {
    return FileStore.referencedName(row.rowData())
        .filter(name -> files.find(name).isEmpty())
        .map(name -> Problem.error("row_data", "no uploaded file named \"" + name + "\""));
  }

  private Dataset dataset(Context ctx) {
    DatasetId id = Ids.parse(ctx.pathParam("id"), DatasetId.PREFIX, DatasetId::new, "dataset");
    return datasets
        .get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no dataset with id " + id));
  }
}
