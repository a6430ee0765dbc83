package org.openfoundry.manifest;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.params.ParameterSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model as its {@code model.yaml} declares it: who it is, where its endpoint is and how to call
 * it, what it predicts, and which inference parameters it takes. Load one with {@link
 * ManifestLoader}, build one from the registration form with {@link #fromForm}, and store one as
 * {@link #toJson} (without its secrets).
 *
 * @param rateLimit absent when the endpoint has no rate limit
 * @param allowedAssetTypes empty when the manifest does not restrict them
 * @param allowedFeatureKinds empty when the manifest does not restrict them
 * @param ontology empty when the model has no predefined set of classes
 * @param parameters {@link ParameterSchema#none()} when the manifest declares no schema
 */
public record Manifest(
    String name,
    URI inferenceEndpoint,
    Secrets secrets,
    Optional<RateLimit> rateLimit,
    Optional<String> description,
    Optional<String> readme,
    List<AssetType> allowedAssetTypes,
    List<FeatureKind> allowedFeatureKinds,
    Ontology ontology,
    ParameterSchema parameters,
    OptionalInt maxTokens,
    EndpointOptions endpoint) {

  public static final int MAX_NAME_LENGTH = 200;

  public Manifest {
    requireNonNull(name, "name is null");
    String nameProblem = nameProblem(name);
    if (nameProblem != null) {
      throw new IllegalArgumentException("name: expected " + nameProblem + ", got " + name);
    }
    requireNonNull(inferenceEndpoint, "inferenceEndpoint is null");
    String endpointProblem = endpointProblem(inferenceEndpoint);
    if (endpointProblem != null) {
      throw new IllegalArgumentException(
          "inferenceEndpoint: expected " + endpointProblem + ", got " + inferenceEndpoint);
    }
    requireNonNull(secrets, "secrets is null");
    requireNonNull(rateLimit, "rateLimit is null");
    requireNonNull(description, "description is null");
    requireNonNull(readme, "readme is null");
    allowedAssetTypes = List.copyOf(new LinkedHashSet<>(allowedAssetTypes));
    allowedFeatureKinds = List.copyOf(new LinkedHashSet<>(allowedFeatureKinds));
    requireNonNull(ontology, "ontology is null");
    requireNonNull(parameters, "parameters is null");
    requireNonNull(maxTokens, "maxTokens is null");
    if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
    requireNonNull(endpoint, "endpoint is null");
  }

  /** Builds a manifest from the registration form, through the same checks as a manifest file. */
  public static Manifest fromForm(ModelForm form) {
    return ManifestReader.fromForm(form);
  }

  /**
   * Reads the canonical JSON of {@link #toJson} back, with the secrets kept apart from it.
   *
   * @throws org.openfoundry.problems.FoundryException {@code INVALID_MANIFEST} with every problem
   */
  public static Manifest fromJson(JsonNode json, Secrets secrets) {
    return ManifestReader.fromJson(json, secrets);
  }

  /**
   * The canonical JSON of this manifest, with every endpoint option spelled out and without the
   * secrets, so that a stored model version keeps its meaning when defaults change.
   */
  public ObjectNode toJson() {
    return ManifestWriter.write(this);
  }

  /** This manifest with other secrets, as when a stored version is loaded with its secrets. */
  public Manifest withSecrets(Secrets replacement) {
    return new Manifest(
        name,
        inferenceEndpoint,
        replacement,
        rateLimit,
        description,
        readme,
        allowedAssetTypes,
        allowedFeatureKinds,
        ontology,
        parameters,
        maxTokens,
        endpoint);
  }

  /** What a name should have been when it is wrong ("a non-blank name"), or null. */
  static String nameProblem(String name) {
    if (name.isBlank()) {
      return "a non-blank name";
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      return "a name of at most " + MAX_NAME_LENGTH + " characters";
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return "a name on one line, without control characters";
    }
    return null;
  }

  /** What an endpoint URL should have been when it is wrong, or null. */
  static String endpointProblem(URI endpoint) {
    if (!endpoint.isAbsolute()) {
      return "an absolute http or https URL such as https://models.example.com/predict";
    }
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "an http or https URL";
    }
    if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
      return "a URL with a host name";
    }
    if (endpoint.getRawUserInfo() != null) {
      return "a URL without credentials (put them in secrets)";
    }
    return null;
  }
}
