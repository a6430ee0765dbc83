package org.openfoundry.server.models;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.SecretChange;
import org.openfoundry.paging.Page;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Access;
import org.openfoundry.server.ApiErrors;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Paging;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import tools.jackson.databind.node.ObjectNode;

/** {@code /api/v1/models}: register, list, read, new version, archive, versions. */
public final class ModelsResource implements Resource {
  private final ModelRepository models;
  private final EndpointCheck endpointCheck;
  private final long maxBodyBytes;
  private final Manifests manifests = new Manifests();

  public ModelsResource(ModelRepository models, EndpointCheck endpointCheck, long maxBodyBytes) {
    this.models = requireNonNull(models, "models is null");
    this.endpointCheck = requireNonNull(endpointCheck, "endpointCheck is null");
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A model as the API shows it: never its secret, only whether it has one. */
  record ModelView(
      String id,
      String name,
      int latestVersion,
      String latestVersionId,
      Instant createdAt,
      Instant updatedAt,
      Optional<Instant> archivedAt,
      Optional<Boolean> hasSecret,
      Optional<ObjectNode> manifest,
      List<Map<String, Object>> warnings) {}

  /** One version of a model. */
  record VersionView(
      String id,
      String modelId,
      int version,
      Instant createdAt,
      boolean hasSecret,
      ObjectNode manifest) {
    static VersionView of(ModelVersion version) {
      return new VersionView(
          version.id().value(),
          version.modelId().value(),
          version.version(),
          version.createdAt(),
          version.hasSecret(),
          version.manifest());
    }
  }

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/models", Access.MEMBER, this::create);
    routes.get("/api/v1/models", Access.MEMBER, this::list);
    routes.get("/api/v1/models/{id}", Access.MEMBER, this::get);
    routes.put("/api/v1/models/{id}", Access.MEMBER, this::update);
    routes.delete("/api/v1/models/{id}", Access.MEMBER, this::archive);
    routes.get("/api/v1/models/{id}/versions", Access.MEMBER, this::versions);
  }

  private void create(Context ctx) {
    Manifests.Submitted submitted = manifests.read(ctx, maxBodyBytes);
    Optional<org.openfoundry.models.SecretValue> secret =
        submitted.secret() instanceof SecretChange.Replace replace
            ? Optional.of(replace.secret())
            : Optional.empty();
    Model model = models.create(submitted.manifest().name(), submitted.manifest().toJson(), secret);
    ctx.status(201).json(view(model, warnings(submitted)));
  }

  private void update(Context ctx) {
    Model current = model(ctx);
    Manifests.Submitted submitted = manifests.read(ctx, maxBodyBytes);
    if (!submitted.manifest().name().equals(current.name())) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "a new version keeps the model's name",
          List.of(
              Problem.error(
                  "name",
                  "expected \""
                      + current.name()
                      + "\", got \""
                      + submitted.manifest().name()
                      + "\"")));
    }
    ModelVersion added =
        models.addVersion(current.id(), submitted.manifest().toJson(), submitted.secret());
    // The version this request made, not whichever is latest by the time it is read back.
    ctx.json(view(model(current.id()), added, warnings(submitted)));
  }

  private void list(Context ctx) {
    Page<Model> page = models.list(Paging.request(ctx));
    ctx.json(Paging.body(page.map(ModelsResource::summary)));
  }

  private void get(Context ctx) {
    ctx.json(view(model(ctx), List.of()));
  }

  private void archive(Context ctx) {
    Model model = model(ctx);
    ctx.json(summary(model.isArchived() ? model : models.archive(model.id())));
  }

  private void versions(Context ctx) {
    Model model = model(ctx);
    List<ModelVersion> all = models.versions(model.id());
    var request = Paging.request(ctx);
    int after = request.cursor().map(ModelsResource::versionCursor).orElse(0);
    List<VersionView> items =
        all.stream()
            .filter(version -> version.version() > after)
            .limit(request.limit() + 1L)
            .map(VersionView::of)
            .toList();
    boolean more = items.size() > request.limit();
    List<VersionView> shown = more ? items.subList(0, request.limit()) : items;
    ctx.json(
        new Paging.PageBody<>(
            shown,
            more ? Optional.of(Integer.toString(shown.getLast().version())) : Optional.empty()));
  }

  private static int versionCursor(String cursor) {
    try {
      return Integer.parseInt(cursor);
    } catch (NumberFormatException malformed) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid cursor",
          List.of(
              Problem.error(
                  "cursor",
                  "expected the next_cursor of an earlier page, got \"" + cursor + "\"")));
    }
  }

  private List<Map<String, Object>> warnings(Manifests.Submitted submitted) {
    List<Problem> all = new ArrayList<>(submitted.warnings());
    endpointCheck.warning(submitted.manifest().inferenceEndpoint()).ifPresent(all::add);
    return all.stream().map(ApiErrors::detail).toList();
  }

  private ModelView view(Model model, List<Map<String, Object>> warnings) {
    ModelVersion latest =
        models
            .version(model.latestVersionId())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL,
                        "model " + model.id() + " has lost its latest version"));
    return view(model, latest, warnings);
  }

  private static ModelView view(
      Model model, ModelVersion version, List<Map<String, Object>> warnings) {
    return new ModelView(
        model.id().value(),
        model.name(),
        version.version(),
        version.id().value(),
        model.createdAt(),
        model.updatedAt(),
        model.archivedAt(),
        Optional.of(version.hasSecret()),
        Optional.of(version.manifest()),
        warnings);
  }

  private static ModelView summary(Model model) {
    return new ModelView(
        model.id().value(),
        model.name(),
        model.latestVersion(),
        model.latestVersionId().value(),
        model.createdAt(),
        model.updatedAt(),
        model.archivedAt(),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }

  private Model model(Context ctx) {
    return model(Ids.parse(ctx.pathParam("id"), ModelId.PREFIX, ModelId::new, "model"));
  }

  private Model model(ModelId id) {
    return models
        .get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
  }
}
