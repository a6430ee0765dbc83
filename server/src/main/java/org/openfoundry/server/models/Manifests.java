package org.openfoundry.server.models;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.manifest.ModelForm;
import org.openfoundry.models.SecretChange;
import org.openfoundry.models.SecretValue;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Requests;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a model from a request: the registration form as JSON fields, or a manifest as YAML. Both
 * go through the same checks of the manifest library; YAML problems carry their line and column.
 */
final class Manifests {
  static final List<String> YAML_TYPES =
      List.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");
  private static final List<String> ACCEPTED =
      List.of(Requests.JSON, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");
  private static final String SOURCE = "model.yaml";

  private final ManifestLoader loader = new ManifestLoader();

  /** A manifest read from a request, what to do with the secret, and warnings for its author. */
  record Submitted(Manifest manifest, SecretChange secret, List<Problem> warnings) {}

  Submitted read(Context ctx, long maxBodyBytes) {
    String type = Requests.requireMediaType(ctx, ACCEPTED);
    if (YAML_TYPES.contains(type)) {
      Requests.refuseDeclaredOver(ctx, maxBodyBytes);
      LoadedManifest loaded = loader.load(SOURCE, ctx.body());
      Manifest manifest = loaded.manifest();
      return new Submitted(manifest, secretOf(manifest), loaded.warnings());
    }
    return fromForm(Requests.jsonObject(ctx));
  }

  private static Submitted fromForm(ObjectNode body) {
    Fields fields = new Fields(body);
    String dataType = fields.requiredString("data_type");
    String name = fields.requiredString("name");
    String endpoint = fields.requiredString("inference_endpoint");
    Optional<String> secret = fields.string("secret");
    Optional<String> description = fields.string("description");
    boolean removeSecret = fields.bool("remove_secret").orElse(false);
    fields.rejectUnknown().throwIfErrors("invalid model form");
    Manifest manifest =
        Manifest.fromForm(new ModelForm(dataType, name, endpoint, secret, description));
    SecretChange change;
    if (secret.isPresent()) {
      change = SecretChange.replace(new SecretValue(secret.get()));
    } else if (removeSecret) {
      change = SecretChange.remove();
    } else {
      change = SecretChange.keep();
    }
    return new Submitted(manifest, change, List.of());
  }

  private static SecretChange secretOf(Manifest manifest) {
    return manifest
        .secrets()
        .primary()
        .<SecretChange>map(value -> SecretChange.replace(new SecretValue(value)))
        .orElse(SecretChange.keep());
  }
}
