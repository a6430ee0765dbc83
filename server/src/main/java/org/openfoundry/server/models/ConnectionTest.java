package org.openfoundry.server.models;

import static java.util.Objects.requireNonNull;

import com.github.f4b6a3.ulid.UlidCreator;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointError;
import org.openfoundry.dispatch.EndpointExchange;
import org.openfoundry.dispatch.EndpointRequest;
import org.openfoundry.dispatch.RunDispatchContext;
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
import org.openfoundry.server.runs.ResponseReading;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/models/{id}/test}: sends one sample data row to the model's endpoint exactly
 * as a run would, and answers with the request (its secret masked), the response, the predictions
 * read from it and the report of what did not map onto the ontology.
 */
public final class ConnectionTest implements Resource {
  private static final String MASK = SecretValue.MASK;

  private final ModelRepository models;
  private final EndpointClient client;
  private final JsonMapper mapper;
  private final ResponseReading reading = new ResponseReading();

  public ConnectionTest(ModelRepository models, EndpointClient client, JsonMapper mapper) {
    this.models = requireNonNull(models, "models is null");
    this.client = requireNonNull(client, "client is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
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
          answered(answer, answered, secret, manifestJson, resolved, dataRow);
      case EndpointExchange.Broken broken -> {
        answer.put("outcome", "failed");
        answer.put(
            "error",
            Map.of("code", broken.error().name(), "message", masked(broken.detail(), secret)));
        answer.put("latency_ms", broken.latency().toMillis());
      }
    }
    ctx.json(answer);
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
    JsonNode body;
    try {
      body = mapper.readTree(masked(answered.body(), secret));
    } catch (tools.jackson.core.JacksonException notJson) {
      body = mapper.getNodeFactory().stringNode(masked(answered.body(), secret));
    }
    response.put("body", body);
    answer.put("response", response);
    if (!answered.isSuccess()) {
      answer.put("outcome", "failed");
      answer.put(
          "error",
          Map.of(
              "code",
              EndpointError.forStatus(answered.status()),
              "message",
              "the endpoint answered " + answered.status()));
      return;
    }
    if (!(body instanceof ObjectNode object)) {
      answer.put("outcome", "failed");
      answer.put(
          "error",
          Map.of(
              "code",
              body.isString()
                  ? EndpointError.RESPONSE_NOT_JSON.name()
                  : EndpointError.RESPONSE_NOT_OBJECT.name(),
              "message",
              "expected a JSON object keyed by feature names"));
      return;
    }
    ParseReport report = reading.parse(object, manifest, Map.of(), params, row);
    answer.put(
        "outcome",
        report.hasErrors() ? (report.predictions().isEmpty() ? "failed" : "partial") : "succeeded");
    answer.put("predictions", predictions(row, report));
    answer.put("report", ResponseReading.report(report));
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
