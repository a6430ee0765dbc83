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
import tools.jackson.databind.node.NullNode;
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
    return RunTemplate.of(context, call).forRow(row, idempotencyKey, attempt);
  }

  /** The request for one attempt of a leased task: its id is the idempotency key. */
  public static EndpointRequest forTask(
      LeasedTask task, RunDispatchContext context, EndpointCall call) {
    return forRow(task.row(), task.id().value(), task.attempt(), context, call);
  }

  /**
   * What every request of a run shares, its ontology and inference parameters written out once:
   * only the data row is written per request.
   */
  public static final class RunTemplate {
    private final RunDispatchContext context;
    private final EndpointCall call;
    private final String shared;
    private final Optional<Credential> credential;

    private RunTemplate(RunDispatchContext context, EndpointCall call) {
      this.context = requireNonNull(context, "context is null");
      this.call = requireNonNull(call, "call is null");
      JsonNode ontology =
          call.ontology()
              .<JsonNode>map(manifest -> restrict(manifest, context.features()))
              .orElse(NullNode.getInstance());
      this.shared =
          ",\"ontology\":"
              + WireJson.MAPPER.writeValueAsString(ontology)
              + ",\"inference_params\":"
              + WireJson.MAPPER.writeValueAsString(context.inferenceParams())
              + "}";
      this.credential = context.secret().map(secret -> new Credential(call.auth(), secret));
    }

    public static RunTemplate of(RunDispatchContext context, EndpointCall call) {
      return new RunTemplate(context, call);
    }

    /** Whether this template was made for these very objects (a run's plan keeps them). */
    public boolean isFor(RunDispatchContext context, EndpointCall call) {
      return this.context == context && this.call == call;
    }

    public EndpointRequest forTask(LeasedTask task) {
      return forRow(task.row(), task.id().value(), task.attempt());
    }

    public EndpointRequest forRow(DataRow row, String idempotencyKey, int attempt) {
      requireNonNull(row, "row is null");
      requireNonNull(idempotencyKey, "idempotencyKey is null");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
      }
      ObjectNode dataRow = WireJson.MAPPER.createObjectNode();
      dataRow.put("id", row.id().value());
      row.globalKey()
          .ifPresentOrElse(
              key -> dataRow.put("global_key", key), () -> dataRow.putNull("global_key"));
      dataRow.put("row_data", row.rowData());
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("Accept", "application/json");
      headers.put(IDEMPOTENCY_KEY, idempotencyKey);
      headers.put(ATTEMPT, Integer.toString(attempt));
      return new EndpointRequest(
          call.endpoint(),
          headers,
          credential,
          "{\"data_row\":" + WireJson.MAPPER.writeValueAsString(dataRow) + shared);
    }
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
