package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one adapter call produced: the vendor's raw response as returned (the last one when the
 * adapter polls), our task response keyed by ontology feature names (for data rows), the
 * assistant's text where the adapter found it (for chat), token usage when reported, and how many
 * HTTP exchanges it took.
 */
public record AdapterResult(
    JsonNode rawResponse,
    Optional<ObjectNode> response,
    Optional<String> assistantText,
    Optional<TokenUsage> usage,
    int exchanges) {

  public AdapterResult {
    requireNonNull(rawResponse, "rawResponse is null");
    requireNonNull(response, "response is null");
    requireNonNull(assistantText, "assistantText is null");
    requireNonNull(usage, "usage is null");
    if (exchanges < 1) {
      throw new IllegalArgumentException("an adapter call makes at least one exchange");
    }
  }
}
