package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.manifest.AdapterCheck;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.node.ObjectNode;

/**
 * The adapters by name, {@code openfoundry} being the default. Checks a manifest's {@code
 * adapter_options} when it is loaded (every problem with its path under {@code adapter_options},
 * JSONata syntax errors with their line and column) and builds configured adapters.
 */
public final class AdapterRegistry implements AdapterCheck {
  /** The adapter of a manifest that names none: our wire contract. */
  public static final String DEFAULT = OpenFoundryAdapter.NAME;

  @FunctionalInterface
  private interface Factory {
    Optional<? extends Adapter> create(
        AdapterConfig config, AdapterEnvironment environment, Options options);
  }

  private final AdapterEnvironment environment;
  private final Map<String, Factory> factories = new LinkedHashMap<>();

  public AdapterRegistry(AdapterEnvironment environment) {
    this.environment = requireNonNull(environment, "environment is null");
    factories.put(
        OpenFoundryAdapter.NAME,
        (config, env, options) -> Optional.of(OpenFoundryAdapter.create(config, options)));
    factories.put(
        OpenAiAdapter.NAME,
        (config, env, options) -> Optional.of(OpenAiAdapter.create(config, env, options)));
    factories.put(
        GeminiAdapter.NAME,
        (config, env, options) -> Optional.of(GeminiAdapter.create(config, env, options)));
    factories.put(
        VertexPredictAdapter.NAME,
        (config, env, options) -> Optional.of(VertexPredictAdapter.create(config, env, options)));
    factories.put(
        HuggingFaceAdapter.NAME,
        (config, env, options) -> Optional.of(HuggingFaceAdapter.create(config, env, options)));
    factories.put(
        ReplicateAdapter.NAME,
        (config, env, options) -> Optional.of(ReplicateAdapter.create(config, env, options)));
    factories.put(
        DatabricksAdapter.NAME,
        (config, env, options) -> Optional.of(DatabricksAdapter.create(config, options)));
    factories.put(
        JsonataAdapter.NAME, (config, env, options) -> JsonataAdapter.create(config, options));
  }

  /** The adapter names, the default first. */
  public List<String> names() {
    return List.copyOf(factories.keySet());
  }

  /**
   * Every problem of an adapter choice and its options, with paths {@code adapter} and {@code
   * adapter_options.<key>}; empty when the adapter can be built.
   */
  public List<Problem> check(String name, AdapterConfig config) {
    requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    Problems problems = new Problems();
    build(name, config, problems);
    return problems.all();
  }

  /**
   * A configured adapter.
   *
   * @throws FoundryException {@code INVALID_MANIFEST} with every problem of the options
   */
  public Adapter create(String name, AdapterConfig config) {
    requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    Problems problems = new Problems();
    Optional<? extends Adapter> adapter = build(name, config, problems);
    problems.throwIfErrors(ErrorCode.INVALID_MANIFEST, "invalid adapter configuration for " + name);
    return adapter.orElseThrow();
  }

  /** The check the manifest loader runs: {@link #check(String, AdapterConfig)} by parts. */
  @Override
  public List<Problem> check(String adapter, URI endpoint, ObjectNode options) {
    return check(adapter, new AdapterConfig(endpoint, options));
  }

  /**
   * The adapter a manifest names, configured with its endpoint and options.
   *
   * @throws FoundryException {@code INVALID_MANIFEST} when its options are not valid
   */
  public Adapter forManifest(Manifest manifest) {
    requireNonNull(manifest, "manifest is null");
    return create(
        manifest.endpoint().adapter(),
        new AdapterConfig(manifest.inferenceEndpoint(), manifest.endpoint().adapterOptions()));
  }

  /** The default adapter on an endpoint, as a model registered from the form uses it. */
  public Adapter defaultAdapter(URI endpoint) {
    return create(DEFAULT, new AdapterConfig(endpoint, Json.object()));
  }

  private Optional<? extends Adapter> build(String name, AdapterConfig config, Problems problems) {
    Factory factory = factories.get(name);
    if (factory == null) {
      problems.error(
          "adapter",
          "unknown adapter \"" + name + "\", expected one of " + String.join(", ", names()));
      return Optional.empty();
    }
    ObjectNode options = config.options();
    return factory.create(config, environment, new Options(options, problems));
  }
}
