package org.openfoundry.examples.bundle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the bundled images, datasets and manifests from the class path. */
public final class ExampleBundle {
  /** Stands for the images' base URL in the scenes dataset: {@code {base_url}/images/...}. */
  public static final String BASE_URL_PLACEHOLDER = "{base_url}";

  private static final String ROOT = "/org/openfoundry/examples/";
  private static final Pattern IMAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.png");
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern ENDPOINT_LINE =
      Pattern.compile("^inference_endpoint:.*$", Pattern.MULTILINE);

  private ExampleBundle() {}

  /** The bundled scene image names, {@code scene-01.png} and on. */
  public static List<String> imageNames() {
    JsonNode truth = JsonMapper.builder().build().readTree(groundTruth());
    List<String> names = new ArrayList<>();
    for (JsonNode scene : truth.path("scenes")) {
      names.add(scene.path("image").asString());
    }
    return List.copyOf(names);
  }

  /** The PNG bytes of a bundled image, empty for a name that is not one. */
  public static Optional<byte[]> image(String name) {
    requireNonNull(name, "name is null");
    if (!IMAGE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return bytes(ROOT + "images/" + name);
  }

  /** The ground truth of the bundled scenes: visible object boxes, region areas, weather. */
  public static String groundTruth() {
    return text(ROOT + "images/ground-truth.json");
  }

  /** The news snippets dataset: NDJSON rows of {@code row_data}, {@code global_key}, TEXT. */
  public static String newsSnippets() {
    return text(ROOT + "datasets/news-snippets.ndjson");
  }

  /**
   * The street scenes dataset as NDJSON rows whose {@code row_data} is the image URL under {@code
   * baseUrl} (where {@code /images/<name>.png} is served), e.g. {@code http://127.0.0.1:8081}.
   */
  public static String streetScenes(URI baseUrl) {
    requireNonNull(baseUrl, "baseUrl is null");
    String base = baseUrl.toString().replaceAll("/+$", "");
    return text(ROOT + "datasets/street-scenes.ndjson").replace(BASE_URL_PLACEHOLDER, base);
  }

  /** The names of the bundled manifests: the example models. */
  public static List<String> modelNames() {
    return List.of("shapes", "language");
  }

  /** The bundled {@code model.yaml} of an example model, as written. */
  public static String manifest(String model) {
    requireNonNull(model, "model is null");
    if (!MODEL_NAME.matcher(model).matches() || !modelNames().contains(model)) {
      throw new FoundryException(
          ErrorCode.NOT_FOUND, "no bundled example model is called \"" + model + "\"");
    }
    return text(ROOT + "models/" + model + "/model.yaml");
  }

  /** The bundled manifest with its {@code inference_endpoint} set to {@code endpoint}. */
  public static String manifest(String model, URI endpoint) {
    requireNonNull(endpoint, "endpoint is null");
    return ENDPOINT_LINE
        .matcher(manifest(model))
        .replaceFirst(Matcher.quoteReplacement("inference_endpoint: " + endpoint));
  }

  private static String text(String resource) {
    return bytes(resource)
        .map(content -> new String(content, StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException(resource + " is missing from the class path"));
  }

  private static Optional<byte[]> bytes(String resource) {
    try (InputStream in = ExampleBundle.class.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
