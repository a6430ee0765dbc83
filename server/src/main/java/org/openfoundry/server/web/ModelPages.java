package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.manifest.ModelForm;
import org.openfoundry.manifest.RateLimit;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.SecretChange;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Tool;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.params.Parameter;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.server.Ids;
import tools.jackson.databind.node.ObjectNode;

/**
 * The models pages: the list, registration from the form or from a {@code model.yaml} (problems
 * shown at their line), and a model's page with its readme, versions, settings and connection test.
 */
final class ModelPages {
  static final List<String> FORM_FIELDS =
      List.of("data_type", "name", "inference_endpoint", "secret", "description");
  static final List<String> SETTINGS_FIELDS = List.of("requests_per_second", "readme", "secret");
  private static final String SOURCE = "model.yaml";
  private static final int RECENT_RUNS = 500;

  private final ModelRepository models;
  private final RunRepository runs;
  private final Pages pages;
  private final Markdown markdown = new Markdown();
  private final ManifestLoader loader = new ManifestLoader();

  ModelPages(ModelRepository models, RunRepository runs, Pages pages) {
    this.models = requireNonNull(models, "models is null");
    this.runs = requireNonNull(runs, "runs is null");
    this.pages = requireNonNull(pages, "pages is null");
  }

  void register(WebUi.Router router) {
    router.get("/models", this::list);
    router.get("/models/new", this::blank);
    router.post("/models/new/form", this::createFromForm);
    router.post("/models/new/manifest", this::createFromManifest);
    router.get("/models/{id}", this::show);
    router.post("/models/{id}/settings", this::settings);
    router.post("/models/{id}/archive", this::archive);
  }

  /** The last run of a model, as the list shows it. */
  record LastRun(String id, String state, String when) {}

  record ModelRow(
      String id,
      String name,
      int version,
      String status,
      String rateLimit,
      String assetTypes,
      Optional<LastRun> lastRun) {}

  record ModelsPage(Chrome chrome, List<ModelRow> rows, Optional<String> nextCursor) {}

  /** The registration form as filled in, with the server's problems next to the fields. */
  record FormView(Map<String, String> values, FieldErrors errors) {
    String value(String field) {
      return values.getOrDefault(field, "");
    }

    boolean selected(String field, String option) {
      return value(field).equals(option);
    }
  }

  /** One line of a submitted manifest, with the problems found on it. */
  record SourceLine(int number, String text, List<String> problems) {
    boolean hasProblems() {
      return !problems.isEmpty();
    }
  }

  /** A submitted manifest with its problems: each at its line, and all of them in a list. */
  record ManifestView(String text, List<SourceLine> lines, List<String> problems) {
    static ManifestView empty() {
      return new ManifestView("", List.of(), List.of());
    }

    boolean refused() {
      return !problems.isEmpty();
    }
  }

  record NewModelPage(Chrome chrome, String tab, FormView form, ManifestView manifest) {}

  record FeatureRow(String name, String kind, String colour) {}

  record ParameterRow(
      String name, String types, String defaultValue, boolean required, String help) {}

  record VersionRow(int version, String created, boolean hasSecret, String rateLimit) {}

  record ModelPage(
      Chrome chrome,
      String id,
      String name,
      int version,
      boolean archived,
      String description,
      String endpoint,
      boolean hasSecret,
      String rateLimit,
      String assetTypes,
      String sampleMediaType,
      List<FeatureRow> features,
      List<ParameterRow> parameters,
      String readmeHtml,
      List<VersionRow> versions,
      FormView settings,
      boolean saved) {}

  private void list(Visit visit) {
    String cursor = visit.ctx().queryParam("cursor");
    Page<Model> page =
        models.list(
            new PageRequest(Optional.ofNullable(cursor).filter(text -> !text.isBlank()), 50));
    Map<String, Run> lastRuns = lastRuns();
    List<ModelRow> rows = new ArrayList<>();
    for (Model model : page.items()) {
      Manifest manifest = manifest(latest(model));
      Optional<Run> last = Optional.ofNullable(lastRuns.get(model.id().value()));
      rows.add(
          new ModelRow(
              model.id().value(),
              model.name(),
              model.latestVersion(),
              status(model, last),
              manifest.rateLimit().map(RateLimit::describe).orElse("not limited"),
              assetTypes(manifest),
              last.map(
                  run ->
                      new LastRun(
                          run.id().value(),
                          Format.state(run.state().name()),
                          Format.time(run.times().createdAt())))));
    }
    pages.send(
        visit.ctx(),
        "models.jte",
        new ModelsPage(visit.chrome("Models", "models"), rows, page.next()));
  }

  private void blank(Visit visit) {
    String tab = "manifest".equals(visit.ctx().queryParam("tab")) ? "manifest" : "form";
    pages.send(
        visit.ctx(),
        "model-new.jte",
        new NewModelPage(
            visit.chrome("Create a custom model", "models"),
            tab,
            new FormView(Map.of("data_type", "image"), FieldErrors.none()),
            ManifestView.empty()));
  }

  private void createFromForm(Visit visit) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : FORM_FIELDS) {
      values.put(field, Optional.ofNullable(visit.ctx().formParam(field)).orElse(""));
    }
    Optional<String> secret = Optional.of(values.get("secret")).filter(text -> !text.isEmpty());
    try {
      Manifest manifest =
          Manifest.fromForm(
              new ModelForm(
                  values.get("data_type"),
                  values.get("name").strip(),
                  values.get("inference_endpoint").strip(),
                  secret,
                  Optional.of(values.get("description")).filter(text -> !text.isBlank())));
      Model model = models.create(manifest.name(), manifest.toJson(), secret.map(SecretValue::new));
      visit.redirect("/models/" + model.id().value());
    } catch (FoundryException refused) {
      // The secret is never sent back to the browser, not even into the form it came from.
      values.put("secret", "");
      pages.send(
          visit.ctx(),
          visit.fromHtmx() ? "model-form.jte" : "model-new.jte",
          new NewModelPage(
              visit.chrome("Create a custom model", "models"),
              "form",
              new FormView(values, FieldErrors.of(refused, FORM_FIELDS)),
              ManifestView.empty()));
    }
  }

  private void createFromManifest(Visit visit) {
    String text = manifestText(visit);
    try {
      LoadedManifest loaded = loader.load(SOURCE, text);
      Manifest manifest = loaded.manifest();
      Model model =
          models.create(
              manifest.name(),
              manifest.toJson(),
              manifest.secrets().primary().map(SecretValue::new));
      visit.redirect("/models/" + model.id().value());
    } catch (FoundryException refused) {
      pages.send(
          visit.ctx(),
          visit.fromHtmx() ? "manifest-form.jte" : "model-new.jte",
          new NewModelPage(
              visit.chrome("Create a custom model", "models"),
              "manifest",
              new FormView(Map.of(), FieldErrors.none()),
              manifestView(text, refused)));
    }
  }

  private static String manifestText(Visit visit) {
    UploadedFile file = visit.ctx().uploadedFile("file");
    if (file != null && file.size() > 0) {
      try (InputStream content = file.content()) {
        return new String(content.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException failed) {
        throw new UncheckedIOException(failed);
      }
    }
    return Optional.ofNullable(visit.ctx().formParam("yaml")).orElse("");
  }

  /**
   * Each problem under the line it names; problems without a line only in the list. The text goes
   * back to the browser with its secrets masked.
   */
  static ManifestView manifestView(String submitted, FoundryException refused) {
    String text = SecretLines.mask(submitted);
    Map<Integer, List<String>> byLine = new HashMap<>();
    List<String> all = new ArrayList<>();
    for (Problem problem : refused.problems()) {
      all.add(problem.format());
      problem
          .position()
          .ifPresent(
              where ->
                  byLine
                      .computeIfAbsent(where.line(), line -> new ArrayList<>())
                      .add(
                          "column "
                              + where.column()
                              + (problem.path().isEmpty() ? "" : " " + problem.path())
                              + ": "
                              + problem.message()));
    }
    if (all.isEmpty()) {
      all.add(refused.getMessage());
    }
    List<SourceLine> lines = new ArrayList<>();
    String[] split = text.split("\\R", -1);
    for (int index = 0; index < split.length; index++) {
      lines.add(new SourceLine(index + 1, split[index], byLine.getOrDefault(index + 1, List.of())));
    }
    return new ManifestView(text, lines, all);
  }

  private void show(Visit visit) {
    Model model = model(visit);
    render(
        visit,
        model,
        new FormView(Map.of(), FieldErrors.none()),
        visit.ctx().queryParam("saved") != null);
  }

  private void render(Visit visit, Model model, FormView settings, boolean saved) {
    ModelVersion latest = latest(model);
    Manifest manifest = manifest(latest);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(
        "requests_per_second",
        manifest.rateLimit().map(rate -> plain(rate.requestsPerSecond())).orElse(""));
    values.put("readme", manifest.readme().orElse(""));
    values.putAll(settings.values());
    values.put("secret", "");
    List<VersionRow> versions =
        models.versions(model.id()).stream()
            .map(
                version ->
                    new VersionRow(
                        version.version(),
                        Format.time(version.createdAt()),
                        version.hasSecret(),
                        manifest(version)
                            .rateLimit()
                            .map(RateLimit::describe)
                            .orElse("not limited")))
            .toList()
            .reversed();
    pages.send(
        visit.ctx(),
        "model.jte",
        new ModelPage(
            visit.chrome(model.name(), "models"),
            model.id().value(),
            model.name(),
            model.latestVersion(),
            model.isArchived(),
            manifest.description().orElse(""),
            manifest.inferenceEndpoint().toString(),
            latest.hasSecret(),
            manifest.rateLimit().map(RateLimit::describe).orElse("not limited"),
            assetTypes(manifest),
            manifest.allowedAssetTypes().isEmpty()
                ? AssetType.IMAGE.word()
                : manifest.allowedAssetTypes().getFirst().word(),
            features(manifest),
            parameters(manifest),
            manifest.readme().map(markdown::toHtml).orElse(""),
            versions,
            new FormView(values, settings.errors()),
            saved));
  }

  private void settings(Visit visit) {
    Model model = model(visit);
    if (model.isArchived()) {
      throw new FoundryException(
          ErrorCode.CONFLICT, "model " + model.id() + " is archived: it takes no new versions");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put(
        "requests_per_second",
        Optional.ofNullable(visit.ctx().formParam("requests_per_second")).orElse("").strip());
    values.put("readme", Optional.ofNullable(visit.ctx().formParam("readme")).orElse(""));
    String secret = Optional.ofNullable(visit.ctx().formParam("secret")).orElse("");
    ObjectNode json = latest(model).manifest();
    String rate = values.get("requests_per_second");
    if (rate.isEmpty()) {
      json.remove("requests_per_second");
    } else {
      try {
        json.put("requests_per_second", Double.parseDouble(rate));
      } catch (NumberFormatException notNumber) {
        // The manifest reader says what it expected, as it would for the API.
        json.put("requests_per_second", rate);
      }
    }
    if (values.get("readme").isBlank()) {
      json.remove("readme");
    } else {
      json.put("readme", values.get("readme"));
    }
    try {
      Manifest manifest = Manifest.fromJson(json, Secrets.none());
      SecretChange change =
          secret.isEmpty() ? SecretChange.keep() : SecretChange.replace(new SecretValue(secret));
      models.addVersion(model.id(), manifest.toJson(), change);
      visit.redirect("/models/" + model.id().value() + "?saved=1");
    } catch (FoundryException refused) {
      render(visit, model, new FormView(values, FieldErrors.of(refused, SETTINGS_FIELDS)), false);
    }
  }

  private void archive(Visit visit) {
    Model model = model(visit);
    if (!model.isArchived()) {
      models.archive(model.id());
    }
    visit.redirect("/models");
  }

  private Map<String, Run> lastRuns() {
    Map<String, Run> last = new HashMap<>();
    for (Run run : runs.list(PageRequest.first(RECENT_RUNS)).items()) {
      last.putIfAbsent(run.modelId().value(), run);
    }
    return last;
  }

  private static String status(Model model, Optional<Run> last) {
    if (model.isArchived()) {
      return "archived";
    }
    return last.filter(run -> !run.state().isFinished())
        .map(run -> Format.state(run.state().name()))
        .orElse("ready");
  }

  static String assetTypes(Manifest manifest) {
    if (manifest.allowedAssetTypes().isEmpty()) {
      return "any";
    }
    return String.join(", ", manifest.allowedAssetTypes().stream().map(AssetType::word).toList());
  }

  private static List<FeatureRow> features(Manifest manifest) {
    List<FeatureRow> rows = new ArrayList<>();
    List<Feature> features = manifest.ontology().features();
    for (int index = 0; index < features.size(); index++) {
      Feature feature = features.get(index);
      String kind =
          switch (feature) {
            case Tool tool -> tool.kind().word();
            case Classification classification -> classification.kind().word();
          };
      rows.add(new FeatureRow(feature.name(), kind, Palette.colour(feature, index)));
    }
    return rows;
  }

  private static List<ParameterRow> parameters(Manifest manifest) {
    List<ParameterRow> rows = new ArrayList<>();
    for (Parameter parameter : manifest.parameters().parameters()) {
      rows.add(
          new ParameterRow(
              parameter.name(),
              parameter.types().isEmpty() ? "any" : String.join(" or ", parameter.types()),
              parameter.defaultValue().map(Object::toString).orElse(""),
              parameter.required(),
              parameter.description().orElse("")));
    }
    return rows;
  }

  private static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private Model model(Visit visit) {
    ModelId id = Ids.parse(visit.ctx().pathParam("id"), ModelId.PREFIX, ModelId::new, "model");
    return models
        .get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
  }

  private ModelVersion latest(Model model) {
    return latest(models, model);
  }

  /** The model's latest version, which every model has. */
  static ModelVersion latest(ModelRepository models, Model model) {
    return models
        .version(model.latestVersionId())
        .orElseThrow(
            () ->
                new FoundryException(
                    ErrorCode.INTERNAL, "model " + model.id() + " has lost its latest version"));
  }

  static Manifest manifest(ModelVersion version) {
    return Manifest.fromJson(version.manifest(), Secrets.none());
  }
}
