package org.openfoundry.cli.models;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What registers a model or makes a new version of it: a manifest's YAML (from a file named {@code
 * source}, so that the server's positions can be put back on it), or the form's fields as JSON.
 */
public record ModelBody(String contentType, String text, String source) {
  /** The name the server gives a manifest's positions: it never sees the file's own name. */
  static final String SERVER_SOURCE = "model.yaml";

  private static final Pattern SECRETS_KEY = Pattern.compile("(?m)^secrets\\s*:");

  public ModelBody {
    requireNonNull(contentType, "contentType is null");
    requireNonNull(text, "text is null");
    requireNonNull(source, "source is null");
  }

  public boolean isManifest() {
    return contentType.equals(FoundryClient.YAML);
  }

  /**
   * A manifest's text, with {@code secret} added as its {@code secrets} key. A manifest that has
   * its own secrets and is given another is refused: one of them would be silently dropped.
   */
  public static ModelBody manifest(String yaml, String source, Optional<String> secret) {
    if (secret.isEmpty()) {
      return new ModelBody(FoundryClient.YAML, yaml, source);
    }
    if (SECRETS_KEY.matcher(yaml).find()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          source + " has its own secrets: remove them from the file or leave out --secret-env");
    }
    // A JSON string is a YAML double-quoted scalar: the secret needs no other escaping.
    String line = "secrets: " + JsonNodeFactory.instance.stringNode(secret.get());
    String separator = yaml.isEmpty() || yaml.endsWith("\n") ? "" : "\n";
    return new ModelBody(FoundryClient.YAML, yaml + separator + line + "\n", source);
  }

  /** The registration form: data type, name, endpoint, and optionally description and secret. */
  public static ModelBody form(ObjectNode fields) {
    return new ModelBody(FoundryClient.JSON, fields.toString(), "form");
  }

  @Override
  public String toString() {
    // The text may hold a secret.
    return "ModelBody[contentType=" + contentType + ", source=" + source + "]";
  }
}
