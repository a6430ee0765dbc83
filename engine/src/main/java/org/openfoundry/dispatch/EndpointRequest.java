package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.models.SecretValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One POST to a model endpoint as the wire contract has it: the JSON body, the headers, and the
 * credential kept apart so that printing a request never shows the secret.
 */
public record EndpointRequest(
    URI endpoint, Map<String, String> headers, Optional<Credential> credential, String body) {

  /** Carries the task id; the same across every attempt of a task. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Carries the attempt number, 1 for the first call of a task. */
  public static final String ATTEMPT = "OpenFoundry-Attempt";

  public EndpointRequest {
    requireNonNull(endpoint, "endpoint is null");
    headers = Map.copyOf(headers);
    requireNonNull(credential, "credential is null");
    requireNonNull(body, "body is null");
  }

  /**
   * The request for one data row: {@code {"data_row": {...}, "ontology": ..., "inference_params":
   * {...}}} with the idempotency key and attempt headers.
   */
  public static EndpointRequest forRow(
      DataRow row,
      String idempotencyKey,
      int attempt,
      RunDispatchContext context,
      EndpointCall call) {
    requireNonNull(row, "row is null");
    requireNonNull(idempotencyKey, "idempotencyKey is null");
    requireNonNull(context, "context is null");
    requireNonNull(call, "call is null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    ObjectNode dataRow = body.putObject("data_row");
    dataRow.put("id", row.id().value());
    row.globalKey()
        .ifPresentOrElse(
            key -> dataRow.put("global_key", key), () -> dataRow.putNull("global_key"));
    dataRow.put("row_data", row.rowData());
    call.ontology()
        .ifPresentOrElse(
            ontology -> body.set("ontology", restrict(ontology, context.features())),
            () -> body.putNull("ontology"));
    body.set("inference_params", context.inferenceParams().deepCopy());

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    headers.put(IDEMPOTENCY_KEY, idempotencyKey);
    headers.put(ATTEMPT, Integer.toString(attempt));
    Optional<Credential> credential =
        context.secret().map(secret -> new Credential(call.auth(), secret));
    return new EndpointRequest(
        call.endpoint(), headers, credential, WireJson.MAPPER.writeValueAsString(body));
  }

  /** The request for one attempt of a leased task: its id is the idempotency key. */
  public static EndpointRequest forTask(
      LeasedTask task, RunDispatchContext context, EndpointCall call) {
    return forRow(task.row(), task.id().value(), task.attempt(), context, call);
  }

  /**
   * The manifest's ontology keeping only the run's features; every feature when the run names none.
   */
  static ObjectNode restrict(ObjectNode ontology, List<String> features) {
    ObjectNode copy = ontology.deepCopy();
    if (features.isEmpty()) {
      return copy;
    }
    Set<String> wanted = Set.copyOf(features);
    for (String group : List.of("tools", "classifications")) {
      JsonNode entries = copy.path(group);
      if (!entries.isArray()) {
        continue;
      }
      ArrayNode kept = copy.putArray(group);
      for (JsonNode entry : entries) {
        if (wanted.contains(entry.path("name").asString(""))) {
          kept.add(entry);
        }
      }
    }
    return copy;
  }

  /** The header that authenticates the call, and the secret that goes in it. */
  public record Credential(EndpointCall.Auth auth, SecretValue secret) {
    public Credential {
      requireNonNull(auth, "auth is null");
      requireNonNull(secret, "secret is null");
    }

    public String header() {
      return auth.header();
    }

    /** The header's value, secret included: only for the wire. */
    public String revealValue() {
      return auth.value(secret.reveal());
    }
  }
}
