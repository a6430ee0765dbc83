package org.openfoundry.cli.models;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.cli.client.ApiException;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers models on a server: a new model, a new version of one, or "apply", which makes the
 * server hold a manifest whatever it held before (a new model, a new version when the manifest
 * changed, nothing when it did not). Problems and warnings are placed on the manifest's own file.
 */
public final class ModelRegistration {
  private final FoundryClient client;

  public ModelRegistration(FoundryClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** What registering did. */
  public enum Change {
    CREATED,
    NEW_VERSION,
    UNCHANGED
  }

  /** The model as the server now has it, what changed, and the warnings about the input. */
  public record Outcome(JsonNode model, Change change, List<Problem> warnings) {
    public Outcome {
      requireNonNull(model, "model is null");
      requireNonNull(change, "change is null");
      warnings = List.copyOf(warnings);
    }

    public String id() {
      return model.path("id").asString();
    }

    public String name() {
      return model.path("name").asString();
    }

    public int version() {
      return model.path("latest_version").asInt(0);
    }
  }

  public Outcome create(ModelBody body) {
    return outcome(send("POST", "/api/v1/models", body), Change.CREATED, body);
  }

  public Outcome newVersion(String modelId, ModelBody body) {
    return outcome(
        send("PUT", "/api/v1/models/" + FoundryClient.segment(modelId), body),
        Change.NEW_VERSION,
        body);
  }

  /**
   * Registers a manifest under its name: creates the model, or makes a new version when the
   * manifest differs from the latest one (or carries a secret, which cannot be compared), or leaves
   * the model as it is.
   */
  public Outcome apply(ModelBody manifest) {
    LoadedManifest loaded = new ManifestLoader().load(manifest.source(), manifest.text());
    Optional<JsonNode> existing = ModelRef.findByName(client, loaded.manifest().name());
    if (existing.isEmpty()) {
      return create(manifest);
    }
    String id = existing.get().path("id").asString();
    JsonNode current = client.get("/api/v1/models/" + FoundryClient.segment(id));
    boolean hasSecret = !loaded.manifest().secrets().isEmpty();
    if (!hasSecret && same(current.path("manifest"), loaded.manifest().toJson())) {
      return new Outcome(current, Change.UNCHANGED, loaded.warnings());
    }
    return newVersion(id, manifest);
  }

  /** Compares through text, so that 0.25 read back from the database equals 0.25 as written. */
  private boolean same(JsonNode stored, JsonNode local) {
    JsonMapper mapper = client.mapper();
    return mapper
        .readTree(mapper.writeValueAsString(stored))
        .equals(mapper.readTree(mapper.writeValueAsString(local)));
  }

  private JsonNode send(String method, String path, ModelBody body) {
    try {
      return client.send(method, path, body.contentType(), BodyPublishers.ofString(body.text()));
    } catch (ApiException refused) {
      throw body.isManifest()
          ? refused.withSource(ModelBody.SERVER_SOURCE, body.source())
          : refused;
    }
  }

  private static Outcome outcome(JsonNode model, Change change, ModelBody body) {
    List<Problem> warnings = new ArrayList<>();
    for (JsonNode warning : model.path("warnings")) {
      Problem problem = ApiException.problem(warning);
      warnings.add(
          body.isManifest()
              ? ApiException.relabel(problem, ModelBody.SERVER_SOURCE, body.source())
              : problem);
    }
    return new Outcome(model, change, warnings);
  }
}
