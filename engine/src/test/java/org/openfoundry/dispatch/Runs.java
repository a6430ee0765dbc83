package org.openfoundry.dispatch;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds runs, manifests and data rows for tests. */
public final class Runs {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final ModelId MODEL = new ModelId("mdl_01HZZZZZZZZZZZZZZZZZZZZZZZ");
  public static final String SECRET = "s3cret-token-value";

  private Runs() {}

  /** A manifest calling {@code endpoint} with an ontology of two tools and a radio question. */
  public static ObjectNode manifest(URI endpoint) {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("name", "street detector");
    manifest.put("inference_endpoint", endpoint.toString());
    ObjectNode ontology = manifest.putObject("ontology");
    ontology.put("media_type", "IMAGE");
    ontology.putArray("tools").addObject().put("name", "person").put("tool", "rectangle");
    ontology.withArray("tools").addObject().put("name", "bicycle").put("tool", "rectangle");
    ObjectNode label =
        ontology.putArray("classifications").addObject().put("name", "label").put("type", "radio");
    label.putArray("options").addObject().put("label", "tench").put("value", "tench");
    return manifest;
  }

  public static RunDispatchContext context(String run, ObjectNode manifest) {
    return context(run, MODEL, manifest, Optional.of(new SecretValue(SECRET)));
  }

  public static RunDispatchContext context(
      String run, ModelId model, ObjectNode manifest, Optional<SecretValue> secret) {
    ObjectNode params = JSON.createObjectNode().put("confidence", 0.25).put("max_new_tokens", 1024);
    return new RunDispatchContext(
        new RunId(run),
        model,
        new ModelVersionId("mv_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
        manifest,
        secret,
        List.of(),
        Map.of(),
        params);
  }

  /** A started HTTP client with the defaults, for a test class to close when it is done. */
  public static EndpointClient startedClient() {
    EndpointClient client = new EndpointClient(EndpointClientConfig.defaults(), Clock.systemUTC());
    client.start();
    return client;
  }

  /** Task {@code tsk_000001} of run {@code run_01} for row 1, leased as given. */
  public static LeasedTask task(int attempt, int attemptsBeforeRetry, Lease lease) {
    return new LeasedTask(
        new TaskId("tsk_000001"),
        new RunId("run_01"),
        MODEL,
        row(1),
        attempt,
        attemptsBeforeRetry,
        lease);
  }

  public static DataRow row(int number) {
    return new DataRow(
        new DataRowId(String.format("dr_%06d", number)),
        new DatasetId("ds_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
        Optional.of(String.format("street-%04d.jpg", number)),
        String.format("https://images.example.com/street-%04d.jpg", number),
        AssetType.IMAGE,
        JSON.createArrayNode(),
        JSON.createObjectNode());
  }
}
