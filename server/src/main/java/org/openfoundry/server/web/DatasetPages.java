package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Ids;
import org.openfoundry.server.files.FileStore;
import org.openfoundry.server.files.UrlSigner;

/**
 * The datasets pages: the list with a form to create one, and a dataset's rows with thumbnails. The
 * import panel's script sends files to the API itself ({@code /api/v1/files} and the dataset's
 * {@code data-rows}), so imports are streamed and checked exactly as the API does.
 */
final class DatasetPages {
  private static final int ROWS_PER_PAGE = 48;

  private final DatasetRepository datasets;
  private final RowMedia media;
  private final Pages pages;

  DatasetPages(DatasetRepository datasets, UrlSigner signer, Pages pages) {
    this.datasets = requireNonNull(datasets, "datasets is null");
    this.media = new RowMedia(signer);
    this.pages = requireNonNull(pages, "pages is null");
  }

  void register(WebUi.Router router) {
    router.get("/datasets", this::list);
    router.post("/datasets", this::create);
    router.get("/datasets/{id}", this::show);
  }

  record DatasetRow(String id, String name, String description, String rows, String created) {
    static DatasetRow of(Dataset dataset) {
      return new DatasetRow(
          dataset.id().value(),
          dataset.name(),
          dataset.description(),
          Format.count(dataset.rowCount()),
          Format.time(dataset.createdAt()));
    }
  }

  record DatasetsPage(
      Chrome chrome,
      List<DatasetRow> datasets,
      Optional<String> nextCursor,
      Map<String, String> values,
      FieldErrors errors) {
    String value(String field) {
      return values.getOrDefault(field, "");
    }
  }

  /** A row as the dataset page shows it: a thumbnail for images, a preview for text. */
  record RowView(
      String id,
      String globalKey,
      String mediaType,
      Optional<String> thumbnail,
      String preview,
      boolean isFile) {}

  record DatasetPage(
      Chrome chrome,
      DatasetRow dataset,
      List<RowView> rows,
      Optional<String> nextCursor,
      boolean firstPage,
      List<String> acceptedFiles) {}

  private void list(Visit visit) {
    render(visit, Map.of(), FieldErrors.none());
  }

  private void render(Visit visit, Map<String, String> values, FieldErrors errors) {
    Page<Dataset> page = datasets.list(request(visit, 50));
    pages.send(
        visit.ctx(),
        "datasets.jte",
        new DatasetsPage(
            visit.chrome("Datasets", "datasets"),
            page.items().stream().map(DatasetRow::of).toList(),
            page.next(),
            values,
            errors));
  }

  private void create(Visit visit) {
    String name = Optional.ofNullable(visit.ctx().formParam("name")).orElse("").strip();
    String description = Optional.ofNullable(visit.ctx().formParam("description")).orElse("");
    if (name.isEmpty()) {
      FoundryException refused =
          new FoundryException(
              ErrorCode.INVALID_INPUT,
              "invalid dataset",
              List.of(Problem.error("name", "expected a non-empty string, got nothing")));
      render(
          visit,
          Map.of("name", name, "description", description),
          FieldErrors.of(refused, List.of("name", "description")));
      return;
    }
    Dataset dataset = datasets.create(name, description);
    visit.redirect("/datasets/" + dataset.id().value());
  }

  private void show(Visit visit) {
    DatasetId id =
        Ids.parse(visit.ctx().pathParam("id"), DatasetId.PREFIX, DatasetId::new, "dataset");
    Dataset dataset =
        datasets
            .get(id)
            .orElseThrow(
                () -> new FoundryException(ErrorCode.NOT_FOUND, "no dataset with id " + id));
    PageRequest request = request(visit, ROWS_PER_PAGE);
    Page<DataRow> rows = datasets.rows(id, request);
    pages.send(
        visit.ctx(),
        "dataset.jte",
        new DatasetPage(
            visit.chrome(dataset.name(), "datasets"),
            DatasetRow.of(dataset),
            rows.items().stream().map(this::row).toList(),
            rows.next(),
            request.cursor().isEmpty(),
            FileStore.acceptedTypes()));
  }

  private RowView row(DataRow row) {
    return new RowView(
        row.id().value(),
        row.globalKey().orElse(""),
        row.mediaType().word(),
        media.imageUrl(row),
        RowMedia.isInlineText(row) ? RowMedia.preview(row.rowData(), 160) : row.rowData(),
        FileStore.referencedName(row.rowData()).isPresent());
  }

  private static PageRequest request(Visit visit, int limit) {
    String cursor = visit.ctx().queryParam("cursor");
    return new PageRequest(Optional.ofNullable(cursor).filter(text -> !text.isBlank()), limit);
  }
}
