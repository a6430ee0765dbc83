package org.openfoundry.manifest;

import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.OntologyWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writes a manifest's canonical JSON: keys in a fixed order, options spelled out, no secrets. */
final class ManifestWriter {
  private ManifestWriter() {}

  static ObjectNode write(Manifest manifest) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", manifest.name());
    json.put("inference_endpoint", manifest.inferenceEndpoint().toString());
    manifest
        .rateLimit()
        .ifPresent(rate -> json.put("requests_per_second", rate.requestsPerSecond()));
    manifest.description().ifPresent(text -> json.put("description", text));
    manifest.readme().ifPresent(text -> json.put("readme", text));
    if (!manifest.allowedAssetTypes().isEmpty()) {
      ArrayNode types = json.putArray("allowed_asset_types");
      manifest.allowedAssetTypes().stream().map(AssetType::word).forEach(types::add);
    }
    if (!manifest.allowedFeatureKinds().isEmpty()) {
      ArrayNode kinds = json.putArray("allowed_feature_kinds");
      manifest.allowedFeatureKinds().stream().map(FeatureKind::word).forEach(kinds::add);
    }
    if (!manifest.ontology().isEmpty() || manifest.ontology().mediaType().isPresent()) {
      json.set("ontology", OntologyWriter.write(manifest.ontology()));
    }
    manifest
        .parameters()
        .json()
        .ifPresent(schema -> json.set("inference_params_json_schema", schema));
    manifest.maxTokens().ifPresent(tokens -> json.put("max_tokens", tokens));
    EndpointOptions endpoint = manifest.endpoint();
    ObjectNode auth = json.putObject("auth");
    auth.put("header", endpoint.auth().header());
    auth.put("scheme", endpoint.auth().scheme());
    ObjectNode timeouts = json.putObject("timeouts");
    timeouts.put("connect", Quantities.format(endpoint.timeouts().connect()));
    timeouts.put("read", Quantities.format(endpoint.timeouts().read()));
    timeouts.put("total", Quantities.format(endpoint.timeouts().total()));
    json.put("max_concurrency", endpoint.maxConcurrency());
    json.put("max_attempts", endpoint.maxAttempts());
    json.put("max_response_bytes", endpoint.maxResponseBytes());
    json.put("adapter", endpoint.adapter());
    json.set("adapter_options", endpoint.adapterOptions());
    return json;
  }
}
