package org.openfoundry.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.OntologyReader;
import org.openfoundry.params.ParameterSchema;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.Suggestions;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a manifest from its JSON tree, recording every problem with its path: the keys of {@code
 * model.yaml}, their types and ranges, and the rules between them (ontology feature kinds among the
 * allowed ones and fitting the asset types). Positions are added by the caller that knows them.
 */
final class ManifestReader {
  /** Every key, in the order the canonical JSON writes them. */
  static final List<String> KEYS =
      List.of(
          "name",
          "inference_endpoint",
          "secrets",
          "requests_per_second",
          "description",
          "readme",
          "allowed_asset_types",
          "allowed_feature_kinds",
          "ontology",
          "inference_params_json_schema",
          "max_tokens",
          "auth",
          "timeouts",
          "max_concurrency",
          "max_attempts",
          "max_response_bytes",
          "adapter",
          "adapter_options");

  private static final String EXAMPLE_ENDPOINT = "https://models.example.com/predict";

  private final Problems problems;
  private final TreeReader reader;

  ManifestReader(Problems problems) {
    this.problems = problems;
    this.reader = new TreeReader(problems);
  }

  static Manifest fromJson(JsonNode json, Secrets secrets) {
    Problems problems = new Problems();
    if (json.isObject() && json.has("secrets")) {
      problems.error("secrets", "secrets are kept apart from the manifest's JSON");
    }
    Optional<Manifest> manifest = new ManifestReader(problems).read(json);
    problems.throwIfErrors(ErrorCode.INVALID_MANIFEST, "the stored manifest is not valid");
    return manifest.orElseThrow().withSecrets(secrets);
  }

  static Manifest fromForm(ModelForm form) {
    Problems problems = new Problems();
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", form.name());
    json.put("inference_endpoint", form.inferenceEndpoint());
    form.secret()
        .filter(secret -> !secret.isBlank())
        .ifPresent(secret -> json.put("secrets", secret));
    form.description()
        .filter(description -> !description.isBlank())
        .ifPresent(description -> json.put("description", description));
    Optional<AssetType> dataType = AssetType.parse(form.dataType());
    dataType.ifPresentOrElse(
        type -> json.putArray("allowed_asset_types").add(type.word()),
        () ->
            problems.error(
                "data_type", "expected " + assetTypeWords() + ", got \"" + form.dataType() + "\""));
    Problems fields = new Problems();
    Optional<Manifest> manifest = new ManifestReader(fields).read(json);
    for (Problem problem : fields.all()) {
      String path = problem.path().equals("secrets") ? "secret" : problem.path();
      problems.add(new Problem(problem.severity(), path, problem.position(), problem.message()));
    }
    problems.throwIfErrors(ErrorCode.INVALID_MANIFEST, "the model form is not valid");
    return manifest.orElseThrow();
  }

  /** The manifest, or empty when any error was recorded. */
  Optional<Manifest> read(JsonNode root) {
    if (!root.isObject()) {
      reader.error(
          "",
          "expected a mapping of manifest keys (name, inference_endpoint, ...), got "
              + TreeReader.describe(root));
      return Optional.empty();
    }
    ObjectNode object = (ObjectNode) root;
    reader.unknownKeys(object, "", KEYS);
    Optional<String> name = name(object);
    Optional<URI> endpoint = endpoint(object);
    Secrets secrets = secrets(object);
    Optional<RateLimit> rateLimit = rateLimit(object);
    Optional<String> description = optional(object, "description", reader::string);
    Optional<String> readme = optional(object, "readme", reader::string);
    Optional<List<AssetType>> assetTypes =
        words(object, "allowed_asset_types", "asset type", AssetType::parse, assetTypeWords());
    Optional<List<FeatureKind>> featureKinds =
        words(object, "allowed_feature_kinds", "feature kind", FeatureKind::parse, kindWords());
    Ontology ontology =
        optional(
                object,
                "ontology",
                (value, path) ->
                    Optional.of(
                        new OntologyReader(problems)
                            .read(
                                value,
                                path,
                                Set.copyOf(featureKinds.orElse(List.of())),
                                Set.copyOf(assetTypes.orElse(List.of())))))
            .orElse(Ontology.empty());
    Optional<ParameterSchema> parameters =
        TreeReader.field(object, "inference_params_json_schema")
            .map(value -> ParameterSchema.read(value, "inference_params_json_schema", problems))
            .orElse(Optional.of(ParameterSchema.none()));
    OptionalInt maxTokens = maxTokens(object);
    EndpointOptions options = endpointOptions(object);
    if (problems.hasErrors()) {
      return Optional.empty();
    }
    return Optional.of(
        new Manifest(
            name.orElseThrow(),
            endpoint.orElseThrow(),
            secrets,
            rateLimit,
            description,
            readme,
            assetTypes.orElseThrow(),
            featureKinds.orElseThrow(),
            ontology,
            parameters.orElseThrow(),
            maxTokens,
            options));
  }

  private Optional<String> name(ObjectNode object) {
    Optional<String> name = required(object, "name").flatMap(value -> reader.string(value, "name"));
    if (name.isEmpty()) {
      return name;
    }
    String problem = Manifest.nameProblem(name.get());
    if (problem != null) {
      reader.error(
          "name", "expected " + problem + ", got " + TreeReader.describe(object.get("name")));
      return Optional.empty();
    }
    return name;
  }

  private Optional<URI> endpoint(ObjectNode object) {
    String path = "inference_endpoint";
    Optional<String> text = required(object, path).flatMap(value -> reader.string(value, path));
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(text.get());
    } catch (URISyntaxException notAUrl) {
      reader.error(
          path,
          "expected an absolute http or https URL such as "
              + EXAMPLE_ENDPOINT
              + ", got "
              + TreeReader.describe(object.get(path))
              + " ("
              + notAUrl.getReason()
              + ")");
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      reader.error(path, "the URL carries credentials; put them in secrets instead");
      return Optional.empty();
    }
    String problem = Manifest.endpointProblem(uri);
    if (problem != null) {
      reader.error(path, "expected " + problem + ", got " + TreeReader.describe(object.get(path)));
      return Optional.empty();
    }
    return Optional.of(uri);
  }

  private Secrets secrets(ObjectNode object) {
    Optional<JsonNode> found = TreeReader.field(object, "secrets");
    if (found.isEmpty()) {
      return Secrets.none();
    }
    JsonNode value = found.get();
    List<Secret> secrets = new ArrayList<>();
    if (value.isString()) {
      secret(Optional.empty(), value, "secrets").ifPresent(secrets::add);
    } else if (value.isArray()) {
      for (int index = 0; index < value.size(); index++) {
        secret(Optional.empty(), value.get(index), TreeReader.index("secrets", index))
            .ifPresent(secrets::add);
      }
    } else if (value.isObject()) {
      for (String name : value.propertyNames()) {
        secret(Optional.of(name), value.get(name), TreeReader.child("secrets", name))
            .ifPresent(secrets::add);
      }
    } else {
      reader.error(
          "secrets",
          "expected a string, a list of strings or a mapping of names to strings, got "
              + kindOf(value));
    }
    if ((value.isArray() || value.isObject()) && value.isEmpty()) {
      reader.error("secrets", "expected at least one secret, got " + kindOf(value));
    }
    return new Secrets(secrets);
  }

  /** Reads one secret without ever putting its value in a message. */
  private Optional<Secret> secret(Optional<String> name, JsonNode value, String path) {
    if (!value.isString()) {
      reader.error(path, "expected a string, got " + kindOf(value) + " (put it in quotes)");
      return Optional.empty();
    }
    String text = value.stringValue();
    if (text.isBlank()) {
      reader.error(path, "a secret must not be blank");
      return Optional.empty();
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      reader.error(
          path,
          "a secret must not contain a line break or another control character (it is sent in"
              + " a header)");
      return Optional.empty();
    }
    if (name.isPresent() && name.get().isBlank()) {
      reader.error(path, "a secret's name must not be blank");
      return Optional.empty();
    }
    return Optional.of(new Secret(name, text));
  }

  /** The kind of a value without the value itself: for secrets. */
  private static String kindOf(JsonNode value) {
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isNull()) {
      return "null";
    }
    if (value.isString()) {
      return "a string";
    }
    return value.isArray() ? "a list" : "a mapping";
  }

  private Optional<RateLimit> rateLimit(ObjectNode object) {
    String path = "requests_per_second";
    Optional<JsonNode> value = TreeReader.field(object, path);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    OptionalDouble rate = reader.number(value.get(), path);
    if (rate.isEmpty()) {
      return Optional.empty();
    }
    double perSecond = rate.getAsDouble();
    if (perSecond <= 0 || perSecond > RateLimit.MAX_REQUESTS_PER_SECOND) {
      reader.error(
          path,
          "expected a positive number of requests per second (0.1 means one call every 10 s;"
              + " leave the key out for no limit), got "
              + TreeReader.describe(value.get()));
      return Optional.empty();
    }
    return Optional.of(new RateLimit(perSecond));
  }

  /** A list of words each parsed by {@code parse}; empty when it has errors. */
  private <T> Optional<List<T>> words(
      ObjectNode object,
      String key,
      String what,
      Function<String, Optional<T>> parse,
      String expected) {
    Optional<JsonNode> value = TreeReader.field(object, key);
    if (value.isEmpty()) {
      return Optional.of(List.of());
    }
    Optional<List<JsonNode>> list =
        reader.list(value.get(), key).map(array -> array.valueStream().toList());
    if (list.isEmpty()) {
      return Optional.empty();
    }
    if (list.get().isEmpty()) {
      reader.error(key, "expected at least one " + what + " (" + expected + "), got an empty list");
      return Optional.empty();
    }
    LinkedHashSet<T> parsed = new LinkedHashSet<>();
    boolean valid = true;
    for (int index = 0; index < list.get().size(); index++) {
      String path = TreeReader.index(key, index);
      Optional<String> word = reader.string(list.get().get(index), path);
      Optional<T> item = word.flatMap(parse);
      if (word.isPresent() && item.isEmpty()) {
        reader.error(
            path,
            "expected "
                + expected
                + ", got \""
                + word.get()
                + "\""
                + Suggestions.didYouMean(word.get(), Arrays.asList(expected.split(", "))));
      }
      if (item.isPresent() && !parsed.add(item.get())) {
        reader.warning(path, "\"" + word.get() + "\" repeats an earlier entry");
      }
      valid &= item.isPresent();
    }
    return valid ? Optional.of(List.copyOf(parsed)) : Optional.empty();
  }

  private static String assetTypeWords() {
    return String.join(", ", Arrays.stream(AssetType.values()).map(AssetType::word).toList());
  }

  private static String kindWords() {
    return String.join(", ", FeatureKind.words());
  }

  private OptionalInt maxTokens(ObjectNode object) {
    Optional<JsonNode> value = TreeReader.field(object, "max_tokens");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    OptionalLong tokens = reader.integer(value.get(), "max_tokens", 1, Integer.MAX_VALUE);
    return tokens.isPresent() ? OptionalInt.of((int) tokens.getAsLong()) : OptionalInt.empty();
  }

  private EndpointOptions endpointOptions(ObjectNode object) {
    EndpointOptions defaults = EndpointOptions.defaults();
    EndpointOptions.Auth auth =
        optional(object, "auth", (value, path) -> auth(value, path)).orElse(defaults.auth());
    EndpointOptions.Timeouts timeouts =
        optional(object, "timeouts", (value, path) -> timeouts(value, path))
            .orElse(defaults.timeouts());
    int maxConcurrency =
        integer(object, "max_concurrency", EndpointOptions.MAX_CONCURRENCY)
            .orElse(defaults.maxConcurrency());
    int maxAttempts =
        integer(object, "max_attempts", EndpointOptions.MAX_ATTEMPTS)
            .orElse(defaults.maxAttempts());
    long maxResponseBytes =
        TreeReader.field(object, "max_response_bytes")
            .map(
                value ->
                    Quantities.bytes(
                        value, "max_response_bytes", EndpointOptions.MAX_RESPONSE_BYTES, reader))
            .orElse(OptionalLong.of(defaults.maxResponseBytes()))
            .orElse(defaults.maxResponseBytes());
    String adapter =
        optional(object, "adapter", reader::string)
            .filter(name -> adapterName(name, object.get("adapter")))
            .orElse(defaults.adapter());
    ObjectNode adapterOptions =
        optional(object, "adapter_options", reader::object)
            .map(ObjectNode::deepCopy)
            .orElse(defaults.adapterOptions());
    return new EndpointOptions(
        auth, timeouts, maxConcurrency, maxAttempts, maxResponseBytes, adapter, adapterOptions);
  }

  private Optional<EndpointOptions.Auth> auth(JsonNode value, String path) {
    Optional<ObjectNode> object = reader.object(value, path);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    reader.unknownKeys(object.get(), path, List.of("header", "scheme"));
    EndpointOptions.Auth defaults = EndpointOptions.Auth.defaults();
    String headerPath = TreeReader.child(path, "header");
    String header =
        TreeReader.field(object.get(), "header")
            .flatMap(found -> reader.string(found, headerPath))
            .filter(name -> headerName(name, headerPath))
            .orElse(defaults.header());
    String schemePath = TreeReader.child(path, "scheme");
    String scheme =
        TreeReader.field(object.get(), "scheme")
            .flatMap(found -> reader.string(found, schemePath))
            .filter(
                word -> {
                  if (word.isEmpty() || EndpointOptions.Auth.TOKEN.matcher(word).matches()) {
                    return true;
                  }
                  reader.error(
                      schemePath,
                      "expected one word such as Bearer, or \"\" to send the bare secret, got \""
                          + word
                          + "\"");
                  return false;
                })
            .orElse(object.get().has("scheme") ? "" : defaults.scheme());
    return Optional.of(new EndpointOptions.Auth(header, scheme));
  }

  private boolean headerName(String name, String path) {
    if (!EndpointOptions.Auth.TOKEN.matcher(name).matches()) {
      reader.error(path, "expected an HTTP header name such as X-Api-Key, got \"" + name + "\"");
      return false;
    }
    if (EndpointOptions.Auth.RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      reader.error(path, "the platform sets the " + name + " header itself; choose another");
      return false;
    }
    return true;
  }

  private Optional<EndpointOptions.Timeouts> timeouts(JsonNode value, String path) {
    Optional<ObjectNode> object = reader.object(value, path);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    reader.unknownKeys(object.get(), path, List.of("connect", "read", "total"));
    EndpointOptions.Timeouts defaults = EndpointOptions.Timeouts.defaults();
    Duration connect = duration(object.get(), path, "connect").orElse(defaults.connect());
    Duration read = duration(object.get(), path, "read").orElse(defaults.read());
    Duration total = duration(object.get(), path, "total").orElse(defaults.total());
    for (var part : List.of(new Named("connect", connect), new Named("read", read))) {
      if (part.duration().compareTo(total) > 0) {
        reader.warning(
            TreeReader.child(path, "total"),
            "shorter than timeouts."
                + part.name()
                + " ("
                + Quantities.format(part.duration())
                + " > "
                + Quantities.format(total)
                + "), so the total limit ends a call first");
      }
    }
    return Optional.of(new EndpointOptions.Timeouts(connect, read, total));
  }

  private record Named(String name, Duration duration) {}

  private Optional<Duration> duration(ObjectNode object, String path, String key) {
    return TreeReader.field(object, key)
        .flatMap(
            value ->
                Quantities.duration(
                    value, TreeReader.child(path, key), EndpointOptions.Timeouts.LONGEST, reader));
  }

  private boolean adapterName(String name, JsonNode value) {
    if (EndpointOptions.ADAPTER_NAME.matcher(name).matches()) {
      return true;
    }
    reader.error(
        "adapter",
        "expected an adapter name such as openfoundry (a letter, then letters, digits, ., _ or"
            + " -), got "
            + TreeReader.describe(value));
    return false;
  }

  private Optional<Integer> integer(ObjectNode object, String key, int max) {
    return TreeReader.field(object, key)
        .map(value -> reader.integer(value, key, 1, max))
        .flatMap(
            number ->
                number.isPresent() ? Optional.of((int) number.getAsLong()) : Optional.empty());
  }

  private Optional<JsonNode> required(ObjectNode object, String key) {
    Optional<JsonNode> value = TreeReader.field(object, key);
    if (value.isEmpty()) {
      reader.error(key, "is required");
    }
    return value;
  }

  private <T> Optional<T> optional(ObjectNode object, String key, FieldReader<T> read) {
    return TreeReader.field(object, key).flatMap(value -> read.read(value, key));
  }

  @FunctionalInterface
  private interface FieldReader<T> {
    Optional<T> read(JsonNode value, String path);
  }

  static FoundryException invalid(String source, List<Problem> problems) {
    long errors = problems.stream().filter(Problem::isError).count();
    return new FoundryException(
        ErrorCode.INVALID_MANIFEST,
        source + " is not a valid manifest: " + errors + (errors == 1 ? " error" : " errors"),
        problems);
  }
}
