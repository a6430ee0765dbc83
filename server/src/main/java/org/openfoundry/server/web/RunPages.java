package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Tool;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.params.Parameter;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunProgress;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskState;
import org.openfoundry.runs.TaskView;
import org.openfoundry.server.Ids;
import org.openfoundry.server.files.UrlSigner;
import org.openfoundry.server.runs.RunRequests;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runs pages: starting a run (model version, rows, features, and the parameter form generated
 * from the manifest's schema), the list, a run's live page, and the predictions viewer. A run is
 * checked by the API's own reader of run requests, so the form and the API refuse the same things.
 */
final class RunPages {
  private static final List<String> RUN_FIELDS =
      List.of("model_id", "model_version", "dataset_id", "global_keys", "features");
  private static final int FAILED_SHOWN = 50;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final Stores stores;
  private final RunRequests requests;
  private final RowMedia media;
  private final Pages pages;
  private final ResponseReading reading = new ResponseReading();

  /** The repositories the run pages read. */
  record Stores(ModelRepository models, DatasetRepository datasets, RunRepository runs) {
    Stores {
      requireNonNull(models, "models is null");
      requireNonNull(datasets, "datasets is null");
      requireNonNull(runs, "runs is null");
    }
  }

  RunPages(Stores stores, RunRequests requests, UrlSigner signer, Pages pages) {
    this.stores = requireNonNull(stores, "stores is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.media = new RowMedia(signer);
    this.pages = requireNonNull(pages, "pages is null");
  }

  void register(WebUi.Router router) {
    router.get("/runs", this::list);
    router.get("/runs/new", this::blank);
    router.get("/runs/new/choices", this::choices);
    router.post("/runs/new", this::start);
    router.get("/runs/{id}", this::show);
    router.get("/runs/{id}/failed", this::failed);
    router.get("/runs/{id}/rows/{index}", this::row);
  }

  record Choice(String value, String label, boolean selected) {}

  record FeatureChoice(String name, String kind, String colour, boolean checked) {}

  /** The parts of the new-run form that depend on the model version chosen. */
  record ModelChoices(
      String modelId,
      List<Choice> versions,
      List<FeatureChoice> features,
      List<ParameterForm.Field> parameters,
      String accepts) {}

  record NewRunPage(
      Chrome chrome,
      List<Choice> models,
      List<Choice> datasets,
      String rowsFrom,
      String globalKeys,
      Optional<ModelChoices> choices,
      FieldErrors errors) {}

  private void blank(Visit visit) {
    String model = visit.ctx().queryParam("model");
    String dataset = visit.ctx().queryParam("dataset");
    pages.send(
        visit.ctx(),
        "run-new.jte",
        newRunPage(visit, model, dataset, Map.of(), FieldErrors.none()));
  }

  private void choices(Visit visit) {
    Optional<ModelChoices> choices =
        modelChoices(
            visit.ctx().queryParam("model_id"),
            visit.ctx().queryParam("model_version"),
            name -> null,
            FieldErrors.none(),
            List.of());
    pages.send(
        visit.ctx(),
        "run-choices.jte",
        new NewRunPage(
            visit.chrome("New run", "runs"),
            List.of(),
            List.of(),
            "dataset",
            "",
            choices,
            FieldErrors.none()));
  }

  private NewRunPage newRunPage(
      Visit visit,
      String model,
      String dataset,
      Map<String, List<String>> submitted,
      FieldErrors errors) {
    List<Model> models = stores.models().list(PageRequest.first(500)).items();
    String chosenModel =
        model != null ? model : models.isEmpty() ? null : models.getFirst().id().value();
    List<Choice> modelChoices =
        models.stream()
            .map(
                each ->
                    new Choice(
                        each.id().value(), each.name(), each.id().value().equals(chosenModel)))
            .toList();
    List<Choice> datasetChoices =
        stores.datasets().list(PageRequest.first(500)).items().stream()
            .map(
                each ->
                    new Choice(
                        each.id().value(),
                        each.name() + " (" + Format.count(each.rowCount()) + " rows)",
                        each.id().value().equals(dataset)))
            .toList();
    String version = first(submitted, "model_version");
    List<String> checked = submitted.getOrDefault("features", List.of());
    return new NewRunPage(
        visit.chrome("New run", "runs"),
        modelChoices,
        datasetChoices,
        "global_keys".equals(first(submitted, "rows_from")) ? "global_keys" : "dataset",
        Optional.ofNullable(first(submitted, "global_keys")).orElse(""),
        modelChoices(chosenModel, version, name -> first(submitted, name), errors, checked),
        errors);
  }

  private Optional<ModelChoices> modelChoices(
      String modelText,
      String versionText,
      java.util.function.Function<String, String> submitted,
      FieldErrors errors,
      List<String> checkedFeatures) {
    if (modelText == null || !modelText.startsWith(ModelId.PREFIX)) {
      return Optional.empty();
    }
    Optional<Model> model = stores.models().get(new ModelId(modelText));
    if (model.isEmpty()) {
      return Optional.empty();
    }
    List<ModelVersion> versions = stores.models().versions(model.get().id());
    ModelVersion chosen =
        versions.stream()
            .filter(version -> Integer.toString(version.version()).equals(versionText))
            .findFirst()
            .orElse(versions.getLast());
    Manifest manifest = ModelPages.manifest(chosen);
    List<Choice> versionChoices =
        versions.reversed().stream()
            .map(
                version ->
                    new Choice(
                        Integer.toString(version.version()),
                        "Version "
                            + version.version()
                            + " \u00b7 "
                            + Format.time(version.createdAt()),
                        version.version() == chosen.version()))
            .toList();
    List<FeatureChoice> features = new ArrayList<>();
    List<Feature> all = manifest.ontology().features();
    for (int index = 0; index < all.size(); index++) {
      Feature feature = all.get(index);
      String kind =
          switch (feature) {
            case Tool tool -> tool.kind().word();
            case Classification classification -> classification.kind().word();
          };
      features.add(
          new FeatureChoice(
              feature.name(),
              kind,
              Palette.colour(feature, index),
              checkedFeatures.isEmpty() || checkedFeatures.contains(feature.name())));
    }
    return Optional.of(
        new ModelChoices(
            model.get().id().value(),
            versionChoices,
            features,
            ParameterForm.fields(manifest.parameters(), submitted, errors),
            ModelPages.assetTypes(manifest)));
  }

  private void start(Visit visit) {
    Map<String, List<String>> submitted = visit.ctx().formParamMap();
    String modelText = Optional.ofNullable(first(submitted, "model_id")).orElse("");
    try {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("model_id", modelText);
      String version = first(submitted, "model_version");
      if (version != null && !version.isBlank()) {
        body.put("model_version", parseVersion(version));
      }
      if ("global_keys".equals(first(submitted, "rows_from"))) {
        ArrayNode keys = body.putArray("global_keys");
        Arrays.stream(Optional.ofNullable(first(submitted, "global_keys")).orElse("").split("\\R"))
            .map(String::strip)
            .filter(key -> !key.isEmpty())
            .forEach(keys::add);
      } else {
        String dataset = first(submitted, "dataset_id");
        if (dataset != null && !dataset.isBlank()) {
          body.put("dataset_id", dataset);
        }
      }
      ArrayNode features = body.putArray("features");
      submitted.getOrDefault("features", List.of()).forEach(features::add);
      body.set("inference_params", parameters(modelText, version, submitted));
      Run run = stores.runs().create(requests.read(body));
      visit.redirect("/runs/" + run.id().value());
    } catch (FoundryException refused) {
      List<String> fields = new ArrayList<>(RUN_FIELDS);
      if (refused.code() == ErrorCode.INVALID_PARAMETERS) {
        fields = parameterNames(modelText, first(submitted, "model_version"));
      }
      FieldErrors errors = FieldErrors.of(refused, fields);
      pages.send(
          visit.ctx(),
          visit.fromHtmx() ? "run-form.jte" : "run-new.jte",
          newRunPage(visit, modelText, first(submitted, "dataset_id"), submitted, errors));
    }
  }

  private ObjectNode parameters(
      String modelText, String version, Map<String, List<String>> submitted) {
    return version(modelText, version)
        .map(chosen -> ParameterForm.read(ModelPages.manifest(chosen).parameters(), submitted::get))
        .orElse(JsonNodeFactory.instance.objectNode());
  }

  private List<String> parameterNames(String modelText, String version) {
    return version(modelText, version)
        .map(
            chosen ->
                ModelPages.manifest(chosen).parameters().parameters().stream()
                    .map(Parameter::name)
                    .toList())
        .orElse(List.of());
  }

  private Optional<ModelVersion> version(String modelText, String versionText) {
    if (modelText == null || !modelText.startsWith(ModelId.PREFIX)) {
      return Optional.empty();
    }
    List<ModelVersion> versions = stores.models().versions(new ModelId(modelText));
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        versions.stream()
            .filter(version -> Integer.toString(version.version()).equals(versionText))
            .findFirst()
            .orElse(versions.getLast()));
  }

  private static long parseVersion(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException notNumber) {
      return -1;
    }
  }

  private static String first(Map<String, List<String>> submitted, String name) {
    List<String> values = submitted.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  record RunRow(
      String id,
      String model,
      String modelId,
      String state,
      String stateClass,
      String done,
      String created) {}

  record RunsPage(Chrome chrome, List<RunRow> runs, Optional<String> nextCursor) {}

  private void list(Visit visit) {
    String cursor = visit.ctx().queryParam("cursor");
    Page<Run> page =
        stores
            .runs()
            .list(new PageRequest(Optional.ofNullable(cursor).filter(text -> !text.isBlank()), 50));
    Map<ModelId, String> names = new HashMap<>();
    List<RunRow> rows =
        page.items().stream()
            .map(
                run ->
                    new RunRow(
                        run.id().value(),
                        names.computeIfAbsent(run.modelId(), this::modelName),
                        run.modelId().value(),
                        Format.state(run.state().name()),
                        run.state().name().toLowerCase(java.util.Locale.ROOT),
                        Format.count(run.counts().done())
                            + " / "
                            + Format.count(run.counts().total()),
                        Format.time(run.times().createdAt())))
            .toList();
    pages.send(
        visit.ctx(), "runs.jte", new RunsPage(visit.chrome("Runs", "runs"), rows, page.next()));
  }

  private String modelName(ModelId id) {
    return stores.models().get(id).map(Model::name).orElse(id.value());
  }

  record Count(String state, String label, long value) {}

  record FailedTask(
      String dataRow, String globalKey, int attempts, String status, String code, String message) {}

  record RunPage(
      Chrome chrome,
      String id,
      String modelId,
      String modelName,
      int version,
      String datasetId,
      String datasetName,
      String state,
      String stateWord,
      List<Count> counts,
      double percent,
      String throughput,
      String eta,
      String features,
      String parameters,
      String created,
      String started,
      String finished,
      long succeeded,
      List<FailedTask> failed) {}

  private void show(Visit visit) {
    Run run = run(visit);
    RunProgress progress = stores.runs().progress(run.id());
    TaskCounts counts = progress.counts();
    ModelVersion version =
        stores
            .models()
            .version(run.modelVersionId())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL,
                        "model version " + run.modelVersionId() + " is missing"));
    Optional<Dataset> dataset = run.dataset().flatMap(id -> stores.datasets().get(id));
    double percent =
        counts.total() == 0 ? 100.0 : Math.round(1000.0 * counts.done() / counts.total()) / 10.0;
    pages.send(
        visit.ctx(),
        "run.jte",
        new RunPage(
            visit.chrome("Run " + run.id().value(), "runs"),
            run.id().value(),
            run.modelId().value(),
            modelName(run.modelId()),
            version.version(),
            dataset.map(each -> each.id().value()).orElse(""),
            dataset.map(Dataset::name).orElse("rows chosen by id or global key"),
            progress.state().name(),
            Format.state(progress.state().name()),
            counts(counts),
            percent,
            String.format(java.util.Locale.ROOT, "%.2f rows/s", progress.throughputPerSecond()),
            progress.eta().map(Format::duration).orElse("\u2014"),
            run.settings().features().isEmpty()
                ? "all"
                : String.join(", ", run.settings().features()),
            MAPPER
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(run.settings().inferenceParams()),
            Format.time(run.times().createdAt()),
            run.times().startedAt().map(Format::time).orElse("\u2014"),
            run.times().finishedAt().map(Format::time).orElse("\u2014"),
            counts.succeeded(),
            failedTasks(run.id())));
  }

  static List<Count> counts(TaskCounts counts) {
    return List.of(
        new Count("queued", "Queued", counts.queued()),
        new Count("leased", "In flight", counts.leased()),
        new Count("succeeded", "Succeeded", counts.succeeded()),
        new Count("failed", "Failed", counts.failed()),
        new Count("cancelled", "Cancelled", counts.cancelled()));
  }

  record FailedFragment(String runId, List<FailedTask> failed) {}

  private void failed(Visit visit) {
    Run run = run(visit);
    pages.send(
        visit.ctx(), "run-failed.jte", new FailedFragment(run.id().value(), failedTasks(run.id())));
  }

  private List<FailedTask> failedTasks(RunId id) {
    List<TaskView> tasks =
        stores
            .runs()
            .tasks(id, Optional.of(TaskState.FAILED), PageRequest.first(FAILED_SHOWN))
            .items();
    Map<DataRowId, String> keys = new HashMap<>();
    stores
        .datasets()
        .findByIds(tasks.stream().map(TaskView::dataRowId).toList())
        .forEach(row -> keys.put(row.id(), row.globalKey().orElse("")));
    return tasks.stream()
        .map(
            task ->
                new FailedTask(
                    task.dataRowId().value(),
                    keys.getOrDefault(task.dataRowId(), ""),
                    task.attempts(),
                    task.lastStatus().isPresent()
                        ? Integer.toString(task.lastStatus().getAsInt())
                        : "\u2014",
                    task.error().map(error -> error.code()).orElse(""),
                    task.error().map(error -> error.message()).orElse("")))
        .toList();
  }

  record ViewerPage(
      Chrome chrome,
      String runId,
      String modelName,
      int index,
      long total,
      Optional<Integer> previous,
      Optional<Integer> next,
      String rowId,
      String globalKey,
      String mediaType,
      Optional<String> imageUrl,
      boolean inlineText,
      String rowData,
      List<Overlay.Segment> segments,
      Overlay overlay,
      List<String> problems,
      String rawResponse) {}

  /** One succeeded row of the run, by its place among the run's results. */
  private void row(Visit visit) {
    Run run = run(visit);
    int index;
    try {
      index = Math.max(0, Integer.parseInt(visit.ctx().pathParam("index")));
    } catch (NumberFormatException notNumber) {
      throw new FoundryException(
          ErrorCode.NOT_FOUND, "no row " + visit.ctx().pathParam("index") + " in run " + run.id());
    }
    List<RunResult> window;
    try (Stream<RunResult> results = stores.runs().results(run.id())) {
      window = results.skip(index).limit(2).toList();
    }
    if (window.isEmpty()) {
      throw new FoundryException(
          ErrorCode.NOT_FOUND,
          "run " + run.id() + " has no succeeded row at " + (index + 1) + " yet");
    }
    long total = stores.runs().progress(run.id()).counts().succeeded();
    RunResult result = window.getFirst();
    ObjectNode manifest =
        stores
            .models()
            .version(run.modelVersionId())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL,
                        "model version " + run.modelVersionId() + " is missing"))
            .manifest();
    DataRow row = result.row();
    ParseReport report =
        reading.parse(
            result.predictions(),
            manifest,
            run.settings().classMapping(),
            run.settings().inferenceParams(),
            row);
    Overlay overlay = new Overlay(ResponseReading.ontology(manifest), report.predictions());
    boolean inline = RowMedia.isInlineText(row);
    pages.send(
        visit.ctx(),
        "viewer.jte",
        new ViewerPage(
            visit.chrome("Predictions \u00b7 " + row.globalKey().orElse(row.id().value()), "runs"),
            run.id().value(),
            modelName(run.modelId()),
            index,
            Math.max(total, index + 1L),
            index > 0 ? Optional.of(index - 1) : Optional.empty(),
            window.size() > 1 ? Optional.of(index + 1) : Optional.empty(),
            row.id().value(),
            row.globalKey().orElse(""),
            row.mediaType().word(),
            media.imageUrl(row),
            inline,
            row.rowData(),
            inline ? overlay.segments(row.rowData()) : List.of(),
            overlay,
            report.problems().stream().map(problem -> problem.format()).toList(),
            pretty(result.rawResponse())));
  }

  /** A raw response laid out for reading, or as it is when it is not JSON within the limits. */
  static String pretty(String raw) {
    try {
      return MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(UntrustedJson.mapper().readTree(raw));
    } catch (tools.jackson.core.JacksonException notJson) {
      return raw;
    }
  }

  private Run run(Visit visit) {
    RunId id = Ids.parse(visit.ctx().pathParam("id"), RunId.PREFIX, RunId::new, "run");
    return stores
        .runs()
        .get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no run with id " + id));
  }
}
