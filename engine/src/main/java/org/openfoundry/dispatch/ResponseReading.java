package org.openfoundry.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.predictions.ParseContext;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.predictions.ResponseParser;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a model's response with the core parser. The stored predictions are the response as the
 * model sent it (the wire format, which the parser reads back for every export), and the report
 * lists what did not map onto the ontology; a response of which nothing maps fails the attempt.
 */
public final class ResponseReading implements ResponsePostProcessor {
  private static final Pattern URL_ALONE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");

  /** How many runs' parse contexts are kept: a node rarely works on more at once. */
  private static final int RECENT_RUNS = 64;

  private final ResponseParser parser = new ResponseParser();

  /**
   * The parse context of each run lately read, by the identity of its dispatch context (which the
   * dispatcher keeps while the run is worked on): building one reads the whole manifest, which cost
   * more than reading a small answer.
   */
  private final Map<DispatchContext, ParseContext> recent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<DispatchContext, ParseContext> eldest) {
              return size() > RECENT_RUNS;
            }
          });

  @Override
  public Processed process(ObjectNode response, RunDispatchContext context, DataRow row) {
    ParseContext run =
        recent.computeIfAbsent(
            new DispatchContext(context),
            key -> forRun(context.manifest(), context.classMapping(), context.inferenceParams()));
    ParseReport report = parser.parse(response, forRow(run, row));
    boolean anyValid = !report.predictions().isEmpty() || !report.hasErrors();
    return new Processed(response, report(report), anyValid);
  }

  /** Parses a response for one row of a model version. */
  public ParseReport parse(
      JsonNode response,
      ObjectNode manifest,
      Map<String, String> classMapping,
      JsonNode inferenceParams,
      DataRow row) {
    return parse(response, forRun(manifest, classMapping, inferenceParams), row);
  }

  /** Parses a response for one row of a run whose context {@link #forRun} built. */
  public ParseReport parse(JsonNode response, ParseContext run, DataRow row) {
    return parser.parse(response, forRow(run, row));
  }

  /**
   * What every answer of a run is read against: the ontology of its manifest, its class mapping and
   * its inference parameters. Building it reads the whole manifest, so reading many answers of one
   * run (an export) builds it once.
   */
  public static ParseContext forRun(
      ObjectNode manifest, Map<String, String> classMapping, JsonNode inferenceParams) {
    return ParseContext.of(ontology(manifest))
        .withClassMapping(classMapping)
        .withInferenceParams(inferenceParams);
  }

  private static ParseContext forRow(ParseContext run, DataRow row) {
    return row.mediaType() == AssetType.TEXT && !looksLikeUrl(row.rowData())
        ? run.withRowText(row.rowData())
        : run;
  }

  /** A dispatch context compared by identity: comparing two by value reads both manifests. */
  private record DispatchContext(RunDispatchContext context) {
    @Override
    public boolean equals(Object other) {
      return other instanceof DispatchContext that && that.context == context;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(context);
    }
  }

  /** The ontology of a stored manifest. */
  public static Ontology ontology(ObjectNode manifest) {
    return Manifest.fromJson(manifest, Secrets.none()).ontology();
  }

  /** The report as stored with the task and shown by the connection test. */
  public static ObjectNode report(ParseReport report) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("predictions", report.predictions().size());
    ArrayNode problems = json.putArray("problems");
    for (Problem problem : report.problems()) {
      ObjectNode detail = problems.addObject();
      detail.put("path", problem.path());
      problem
          .position()
          .ifPresent(
              where -> {
                detail.put("line", where.line());
                detail.put("column", where.column());
              });
      detail.put("message", problem.message());
      detail.put("severity", problem.severity().word());
    }
    ObjectNode dropped = json.putObject("dropped_under_confidence");
    report.droppedByFeature().forEach(dropped::put);
    return json;
  }

  /**
   * Whether a text row's data is a reference to its text (a URL alone: {@code https://}, {@code
   * openfoundry://files/} for an upload, {@code s3://}, ...) rather than the text itself, which may
   * contain a URL or begin with one.
   */
  private static boolean looksLikeUrl(String rowData) {
    return URL_ALONE.matcher(rowData).matches();
  }
}
