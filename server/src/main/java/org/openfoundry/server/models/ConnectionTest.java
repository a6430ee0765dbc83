package org.openfoundry.server.models;

import static java.util.Objects.requireNonNull;

import com.github.f4b6a3.ulid.UlidCreator;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.adapters.AdapterRequest;
import org.openfoundry.adapters.AdapterResult;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.directrun.RecordingTransport;
import org.openfoundry.dispatch.AdapterTaskCaller;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientTransport;
import org.openfoundry.dispatch.EndpointError;
import org.openfoundry.dispatch.EndpointExchange;
import org.openfoundry.dispatch.EndpointRequest;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.TransportFailure;
import org.openfoundry.export.DataRowKey;
import org.openfoundry.export.DataRowRef;
import org.openfoundry.export.ExportRow;
import org.openfoundry.export.NdjsonExporter;
import org.openfoundry.export.RowSource;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.RunId;
import org.openfoundry.server.Access;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/models/{id}/test}: sends one sample data row to the model's endpoint exactly
 * as a run would (in our wire contract, or through the adapter the manifest names), and answers
 * with the request (its secret masked), the response, the predictions read from it and the report
 * of what did not map onto the ontology.
 */
public final class ConnectionTest implements Resource {
  private static final String MASK = SecretValue.MASK;

  private final ModelRepository models;
  private final EndpointClient client;
  private final AdapterRegistry adapters;
  private final JsonMapper mapper;
  private final Clock clock;
  private final ResponseReading reading = new ResponseReading();

  public ConnectionTest(
      ModelRepository models,
      EndpointClient client,
      AdapterRegistry adapters,
      JsonMapper mapper,
      Clock clock) {
    this.models = requireNonNull(models, "models is null");
    this.client = requireNonNull(client, "client is null");
    this.adapters = requireNonNull(adapters, "adapters is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/models/{id}/test", Access.MEMBER, this::test);
  }

  private void test(Context ctx) throws InterruptedException {
    ModelId id = Ids.parse(ctx.pathParam("id"), ModelId.PREFIX, ModelId::new, "model");
    Model model =
        models
            .get(id)
            .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
    Fields fields = new Fields(Requests.jsonObject(ctx));
    ObjectNode sample = fields.object("data_row").orElse(JsonNodeFactory.instance.objectNode());
    JsonNode params = fields.node("inference_params").orElse(JsonNodeFactory.instance.objectNode());
    List<String> features = fields.strings("features").orElse(List.of());
    fields.rejectUnknown();
    Fields row = new Fields(sample, "data_row", fields.problems());
    String rowData = row.requiredString("row_data");
    Optional<String> globalKey = row.string("global_key");
    Optional<AssetType> mediaType =
        row.choice(
            "media_type", AssetType::parse, "one of image, text, video, html, conversational");
    row.rejectUnknown();
    fields.throwIfErrors("invalid connection test");

    ModelVersion version =
        models
            .version(model.latestVersionId())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL, "model " + id + " has lost its latest version"));
    ObjectNode manifestJson = version.manifest();
    Manifest manifest = Manifest.fromJson(manifestJson, Secrets.none());
    AssetType type =
        mediaType.orElse(
            manifest.allowedAssetTypes().isEmpty()
                ? AssetType.IMAGE
                : manifest.allowedAssetTypes().getFirst());
    ObjectNode resolved = manifest.parameters().resolve(params);
    Optional<SecretValue> secret = models.openSecret(version);
    DataRow dataRow =
        new DataRow(
            new DataRowId(DataRowId.PREFIX + "CONNECTIONTEST"),
            new DatasetId(DatasetId.PREFIX + "CONNECTIONTEST"),
            globalKey,
            rowData,
            type,
            JsonNodeFactory.instance.arrayNode(),
            JsonNodeFactory.instance.objectNode());
    RunDispatchContext context =
        new RunDispatchContext(
            new RunId(RunId.PREFIX + "CONNECTIONTEST"),
            model.id(),
            version.id(),
            manifestJson,
            secret,
            features,
            Map.of(),
            resolved);
    EndpointCall call = EndpointCall.fromManifest(manifestJson);
    String adapter = manifestJson.path("adapter").asString(AdapterRegistry.DEFAULT);
    ctx.json(
        adapter.equals(AdapterRegistry.DEFAULT)
            ? wireContract(dataRow, context, call)
            : throughAdapter(manifest, dataRow, context, call));
  }

  /** The row sent in our wire contract, as the dispatcher sends it. */
  private Map<String, Object> wireContract(
      DataRow dataRow, RunDispatchContext context, EndpointCall call) throws InterruptedException {
    Optional<SecretValue> secret = context.secret();
    EndpointRequest request =
        EndpointRequest.forRow(dataRow, "test_" + UlidCreator.getMonotonicUlid(), 1, context, call);
    EndpointExchange exchange = client.send(request, call.timeouts(), call.maxResponseBytes());
    if (exchange instanceof EndpointExchange.Broken broken
        && broken.error() == EndpointError.OUTBOUND_BLOCKED) {
      throw new FoundryException(ErrorCode.OUTBOUND_BLOCKED, masked(broken.detail(), secret));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("request", requestView(request, secret));
    switch (exchange) {
      case EndpointExchange.Answered answered ->
          answered(
              answer, answered, secret, context.manifest(), context.inferenceParams(), dataRow);
      case EndpointExchange.Broken broken -> {
        // Judged as a run's attempt would be: a status outside 2xx decides, whatever its body did.
        RetryPolicy.AttemptFailure failure = broken.toFailure(secret);
        failed(answer, failure.errorCode(), failure.message());
        answer.put("latency_ms", broken.latency().toMillis());
      }
    }
    return answer;
  }

  /**
   * The row sent through the manifest's adapter, as the dispatcher sends it: the vendor's first
   * request, its last reply, and the predictions read from what the adapter made of it.
   */
  private Map<String, Object> throughAdapter(
      Manifest manifest, DataRow dataRow, RunDispatchContext context, EndpointCall call) {
    Optional<SecretValue> secret = context.secret();
    Map<String, String> headers =
        Map.of(EndpointRequest.IDEMPOTENCY_KEY, "test_" + UlidCreator.getMonotonicUlid());
    RecordingTransport transport =
        new RecordingTransport(new EndpointClientTransport(client, call, secret, headers));
    Exchange exchange = new Exchange(transport, call, headers, secret, clock.instant());
    Map<String, Object> answer = new LinkedHashMap<>();
    try {
      AdapterResult result =
          adapters
              .forManifest(manifest)
              .run(AdapterTaskCaller.input(dataRow, context, call), transport);
      exchangeView(answer, exchange);
      ObjectNode response =
          result
              .response()
              .orElseThrow(
                  () -> new IllegalStateException("the adapter gave no response for a data row"));
      read(answer, response, context.manifest(), context.inferenceParams(), dataRow);
    } catch (TransportFailure broken) {
      if (broken.broken().error() == EndpointError.OUTBOUND_BLOCKED) {
        throw new FoundryException(
            ErrorCode.OUTBOUND_BLOCKED, masked(broken.broken().detail(), secret));
      }
      exchangeView(answer, exchange);
      failed(answer, broken.broken().error().name(), masked(broken.broken().detail(), secret));
    } catch (FoundryException refused) {
      exchangeView(answer, exchange);
      failed(answer, refused.code().name(), masked(refused.describe(), secret));
    }
    return answer;
  }

  /** One adapter call of a connection test: its transport, what it sends, when it started. */
  private record Exchange(
      RecordingTransport transport,
      EndpointCall call,
      Map<String, String> headers,
      Optional<SecretValue> secret,
      Instant started) {}

  private void exchangeView(Map<String, Object> answer, Exchange exchange) {
    Optional<SecretValue> secret = exchange.secret();
    exchange
        .transport()
        .first()
        .ifPresent(request -> answer.put("request", adapterRequestView(request, exchange)));
    exchange
        .transport()
        .last()
        .ifPresent(
            reply -> {
              Map<String, Object> response = new LinkedHashMap<>();
              response.put("status", reply.status());
              response.put("content_type", reply.header("Content-Type").orElse(""));
              response.put(
                  "latency_ms", Duration.between(exchange.started(), clock.instant()).toMillis());
              response.put("body", bodyView(reply.body(), secret));
              answer.put("response", response);
            });
  }

  private Map<String, Object> adapterRequestView(AdapterRequest request, Exchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    headers.putAll(exchange.headers());
    if (exchange.secret().isPresent()) {
      EndpointCall.Auth auth = exchange.call().auth();
      headers.put(auth.header(), auth.scheme().isEmpty() ? MASK : auth.scheme() + " " + MASK);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("method", request.method().name());
    view.put("url", request.uri().toString());
    view.put("headers", headers);
    request
        .body()
        .ifPresent(
            body -> view.put("body", mapper.readTree(masked(body.toString(), exchange.secret()))));
    return view;
  }

  private static void failed(Map<String, Object> answer, String code, String message) {
    answer.put("outcome", "failed");
    answer.put("error", Map.of("code", code, "message", message));
  }

  private void answered(
      Map<String, Object> answer,
      EndpointExchange.Answered answered,
      Optional<SecretValue> secret,
      ObjectNode manifest,
      ObjectNode params,
      DataRow row) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("status", answered.status());
    response.put("content_type", answered.contentType().orElse(""));
    response.put("latency_ms", answered.latency().toMillis());
    JsonNode body = bodyView(answered.body(), secret);
    response.put("body", body);
    answer.put("response", response);
    if (!answered.isSuccess()) {
      failed(
          answer,
          EndpointError.forStatus(answered.status()),
          "the endpoint answered " + answered.status());
      return;
    }
    if (!(body instanceof ObjectNode object)) {
      failed(
          answer,
          body.isString()
              ? EndpointError.RESPONSE_NOT_JSON.name()
              : EndpointError.RESPONSE_NOT_OBJECT.name(),
          "expected a JSON object keyed by feature names");
      return;
    }
    read(answer, object, manifest, params, row);
  }

  /** The outcome, predictions and report of a task response read against the manifest. */
  private void read(
      Map<String, Object> answer,
      ObjectNode response,
      ObjectNode manifest,
      ObjectNode params,
      DataRow row) {
    ParseReport report = reading.parse(response, manifest, Map.of(), params, row);
    answer.put(
        "outcome",
        report.hasErrors() ? (report.predictions().isEmpty() ? "failed" : "partial") : "succeeded");
    answer.put("predictions", predictions(row, report));
    answer.put("report", ResponseReading.report(report));
  }

  /** A body as JSON when it is JSON, else as a string; the secret masked either way. */
  private JsonNode bodyView(String body, Optional<SecretValue> secret) {
    try {
      return mapper.readTree(masked(body, secret));
    } catch (tools.jackson.core.JacksonException notJson) {
      return mapper.getNodeFactory().stringNode(masked(body, secret));
    }
  }

  /** The predictions as the NDJSON export would write them for this row. */
  private List<JsonNode> predictions(DataRow row, ParseReport report) {
    StringWriter lines = new StringWriter();
    ExportRow exportRow =
        new ExportRow(
            new DataRowRef(row.id().value(), row.globalKey()),
            Optional.empty(),
            report.predictions());
    new NdjsonExporter("connection-test", DataRowKey.GLOBAL_KEY)
        .export(RowSource.of(List.of(exportRow)), lines);
    return lines.toString().lines().filter(line -> !line.isBlank()).map(mapper::readTree).toList();
  }

  private Map<String, Object> requestView(EndpointRequest request, Optional<SecretValue> secret) {
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    request
        .credential()
        .ifPresent(
            credential -> {
              String scheme = credential.auth().scheme();
              headers.put(credential.header(), scheme.isEmpty() ? MASK : scheme + " " + MASK);
            });
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("method", "POST");
    view.put("url", request.endpoint().toString());
    view.put("headers", headers);
    view.put("body", mapper.readTree(masked(request.body(), secret)));
    return view;
  }

  private static String masked(String text, Optional<SecretValue> secret) {
    return secret.map(value -> value.redact(text)).orElse(text);
  }
}
