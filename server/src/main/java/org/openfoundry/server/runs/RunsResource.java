package org.openfoundry.server.runs;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.export.CocoExporter;
import org.openfoundry.export.DataRowKey;
import org.openfoundry.export.DataRowRef;
import org.openfoundry.export.ExportRow;
import org.openfoundry.export.NdjsonExporter;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.predictions.ParseContext;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunProgress;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.TaskState;
import org.openfoundry.server.Access;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Paging;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import org.openfoundry.server.StreamedExport;
import org.openfoundry.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code /api/v1/runs}: start, list, read, steer, tasks, live events, predictions export. */
public final class RunsResource implements Resource {
  private static final Logger log = LoggerFactory.getLogger(RunsResource.class);

  private final RunRepository runs;
  private final ModelRepository models;
  private final JsonMapper mapper;
  private final Sleeper sleeper;
  private final Duration eventInterval;
  private final RunRequests requests;
  private final ResponseReading reading = new ResponseReading();

  public RunsResource(
      RunRepository runs,
      ModelRepository models,
      JsonMapper mapper,
      Sleeper sleeper,
      Duration eventInterval) {
    this.runs = requireNonNull(runs, "runs is null");
    this.models = requireNonNull(models, "models is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.sleeper = requireNonNull(sleeper, "sleeper is null");
    this.eventInterval = requireNonNull(eventInterval, "eventInterval is null");
    this.requests = new RunRequests(models);
  }

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/runs", Access.MEMBER, this::create);
    routes.get("/api/v1/runs", Access.MEMBER, this::list);
    routes.get("/api/v1/runs/{id}", Access.MEMBER, this::get);
    routes.get("/api/v1/runs/{id}/tasks", Access.MEMBER, this::tasks);
    routes.post("/api/v1/runs/{id}/cancel", Access.MEMBER, ctx -> steer(ctx, runs::cancel));
    routes.post("/api/v1/runs/{id}/pause", Access.MEMBER, ctx -> steer(ctx, runs::pause));
    routes.post("/api/v1/runs/{id}/resume", Access.MEMBER, ctx -> steer(ctx, runs::resume));
    routes.post("/api/v1/runs/{id}/retry", Access.MEMBER, ctx -> steer(ctx, runs::retryFailed));
    routes.get("/api/v1/runs/{id}/events", Access.MEMBER, this::events);
    routes.get("/api/v1/runs/{id}/predictions", Access.MEMBER, this::predictions);
  }

  private void create(Context ctx) {
    Run run;
    try {
      run = runs.create(requests.read(Requests.jsonObject(ctx)));
    } catch (FoundryException refused) {
      if (refused.code() != ErrorCode.UNSUPPORTED_MEDIA_TYPE) {
        throw refused;
      }
      // The rows do not fit the model: bad input, not a wrong Content-Type of the request.
      throw new FoundryException(ErrorCode.INVALID_INPUT, refused.getMessage(), refused.problems());
    }
    ctx.status(202)
        .header("Location", "/api/v1/runs/" + run.id().value())
        .json(RunViews.run(run, Optional.empty()));
  }

  private void list(Context ctx) {
    ctx.json(
        Paging.body(
            runs.list(Paging.request(ctx)).map(run -> RunViews.run(run, Optional.empty()))));
  }

  private void get(Context ctx) {
    Run run = run(ctx);
    ctx.json(RunViews.run(run, Optional.of(runs.progress(run.id()))));
  }

  private void tasks(Context ctx) {
    Run run = run(ctx);
    Optional<TaskState> state =
        Optional.ofNullable(ctx.queryParam("state")).map(RunsResource::state);
    ctx.json(
        Paging.body(runs.tasks(run.id(), state, Paging.request(ctx)).map(RunViews.TaskRow::of)));
  }

  private void steer(Context ctx, Function<RunId, Run> action) {
    Run run = action.apply(run(ctx).id());
    ctx.json(RunViews.run(run, Optional.empty()));
  }

  /**
   * Server-sent events: a {@code progress} event whenever anything it reports changes (the state,
   * the counts, or the throughput and ETA, which move as time passes), a comment to keep the
   * connection alive otherwise, and a {@code finished} event when the run ends, which closes the
   * stream. Progress is read from the store, so it holds whichever node runs the tasks.
   */
  private void events(Context ctx) {
    RunId id = run(ctx).id();
    ctx.disableCompression();
    ctx.status(200)
        .contentType("text/event-stream")
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no");
    try {
      // The servlet's own stream: Javalin's wrapper holds small writes back until the handler
      // returns, and an event must reach the client when it is written.
      OutputStream out = ctx.res().getOutputStream();
      String last = "";
      while (true) {
        RunProgress progress = runs.progress(id);
        String data = mapper.writeValueAsString(RunViews.ProgressEvent.of(progress));
        boolean finished = progress.state().isFinished();
        if (finished) {
          write(out, "event: finished\ndata: " + data + "\n\n");
          return;
        }
        write(out, data.equals(last) ? ": waiting\n\n" : "event: progress\ndata: " + data + "\n\n");
        last = data;
        sleeper.sleep(eventInterval);
      }
    } catch (IOException gone) {
      log.debug("the client of the events of {} went away", id);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(OutputStream out, String event) throws IOException {
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void predictions(Context ctx) {
    Run run = run(ctx);
    String format =
        Optional.ofNullable(ctx.queryParam("format")).orElse("ndjson").toLowerCase(Locale.ROOT);
    if (!List.of("ndjson", "coco", "raw").contains(format)) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid export format",
          List.of(Problem.error("format", "expected ndjson, coco or raw, got \"" + format + "\"")));
    }
    ModelVersion version =
        models
            .version(run.modelVersionId())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL,
                        "model version " + run.modelVersionId() + " is missing"));
    ObjectNode manifest = version.manifest();
    ctx.disableCompression();
    ctx.status(200)
        .contentType(format.equals("coco") ? "application/json" : "application/x-ndjson")
        .header(
            "Content-Disposition",
            "attachment; filename=\""
                + run.id().value()
                + "-"
                + format
                + (format.equals("coco") ? ".json" : ".ndjson")
                + "\"");
    StreamedExport.send(
        ctx,
        "the " + format + " export of " + run.id(),
        out -> {
          switch (format) {
            case "raw" -> raw(run.id(), out);
            case "coco" ->
                new CocoExporter(ResponseReading.ontology(manifest))
                    .export(() -> rows(run, manifest), out);
            default ->
                new NdjsonExporter(run.id().value(), DataRowKey.GLOBAL_KEY)
                    .export(() -> rows(run, manifest), out);
          }
        });
  }

  private Stream<ExportRow> rows(Run run, ObjectNode manifest) {
    ParseContext context =
        ResponseReading.forRun(
            manifest, run.settings().classMapping(), run.settings().inferenceParams());
    return runs.results(run.id())
        .map(
            result ->
                new ExportRow(
                    new DataRowRef(result.row().id().value(), result.row().globalKey()),
                    Optional.empty(),
                    reading.parse(result.predictions(), context, result.row()).predictions()));
  }

  private void raw(RunId id, Writer out) throws IOException {
    try (Stream<RunResult> results = runs.results(id)) {
      for (RunResult result : (Iterable<RunResult>) results::iterator) {
        ObjectNode line = mapper.createObjectNode();
        line.put("task_id", result.taskId().value());
        ObjectNode row = line.putObject("data_row");
        row.put("id", result.row().id().value());
        result
            .row()
            .globalKey()
            .ifPresentOrElse(key -> row.put("global_key", key), () -> row.putNull("global_key"));
        line.put("attempt", result.attempt());
        line.set("response", responseJson(result.rawResponse()));
        out.write(mapper.writeValueAsString(line));
        out.write('\n');
      }
    }
    out.flush();
  }

  private JsonNode responseJson(String raw) {
    try {
      return mapper.readTree(raw);
    } catch (tools.jackson.core.JacksonException truncatedOrText) {
      return mapper.getNodeFactory().stringNode(raw);
    }
  }

  private static TaskState state(String text) {
    try {
      return TaskState.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid task state",
          List.of(
              Problem.error(
                  "state",
                  "expected one of QUEUED, LEASED, SUCCEEDED, FAILED, CANCELLED, got \""
                      + text
                      + "\"")));
    }
  }

  private Run run(Context ctx) {
    RunId id = Ids.parse(ctx.pathParam("id"), RunId.PREFIX, RunId::new, "run");
    return runs.get(id)
        .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no run with id " + id));
  }
}
