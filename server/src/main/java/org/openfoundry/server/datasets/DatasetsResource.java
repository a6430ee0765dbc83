package org.openfoundry.server.datasets;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.datasets.ImportReport;
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
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/datasets}: create, list, read, import rows, list rows. */
public final class DatasetsResource implements Resource {
  static final String NDJSON = "application/x-ndjson";

  private final DatasetRepository datasets;
  private final FileStore files;
  private final JsonMapper mapper;
  private final long maxImportBytes;
  private final int maxLineBytes;

  public DatasetsResource(
      DatasetRepository datasets,
      FileStore files,
      JsonMapper mapper,
      long maxImportBytes,
      int maxLineBytes) {
    this.datasets = requireNonNull(datasets, "datasets is null");
    this.files = requireNonNull(files, "files is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.maxImportBytes = maxImportBytes;
    this.maxLineBytes = maxLineBytes;
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
    try (InputStream body = Requests.limitedBody(ctx, maxImportBytes)) {
      RowReader reader =
          type.equals(Requests.JSON)
              ? RowReader.jsonArray(mapper, body, files)
              : RowReader.ndjson(mapper, body, maxLineBytes, files);
      ImportReport stored = datasets.importRows(dataset.id(), reader);
      List<Problem> problems = new ArrayList<>(reader.problems());
      problems.addAll(stored.problems());
      problems.sort(
          java.util.Comparator.comparingInt(
              problem -> problem.position().map(where -> where.line()).orElse(Integer.MAX_VALUE)));
      ctx.json(
          new ImportView(
              stored.imported(),
              stored.rejected() + reader.rejected(),
              problems.stream().limit(ImportReport.MAX_PROBLEMS).map(ApiErrors::detail).toList()));
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  private Dataset dataset(Context ctx) {
    DatasetId id = Ids.parse(ctx.pathParam("id"), DatasetId.PREFIX, DatasetId::new, "dataset");
    return datasets
        .get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no dataset with id " + id));
  }
}
