package org.openfoundry.server.chat;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.chat.ConversationParser;
import org.openfoundry.comparisons.Comparison;
import org.openfoundry.comparisons.ComparisonId;
import org.openfoundry.comparisons.ComparisonService;
import org.openfoundry.comparisons.Judgment;
import org.openfoundry.comparisons.LabelboxExport;
import org.openfoundry.comparisons.VerdictKind;
import org.openfoundry.comparisons.WinReport;
import org.openfoundry.models.ModelId;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Access;
import org.openfoundry.server.ApiErrors;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Json;
import org.openfoundry.server.Paging;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import org.openfoundry.server.StreamedExport;
import org.openfoundry.server.auth.AccessCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/chat/comparisons}: send one conversation to several models side by side, list and
 * read comparisons, judge their answers, and export every judgment as Labelbox NDJSON or a report
 * of win rates per model.
 */
public final class ComparisonsResource implements Resource {
  private static final String BASE = "/api/v1/chat/comparisons";
  private static final String NDJSON = "application/x-ndjson";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final ComparisonService comparisons;
  private final ConversationParser parser;

  public ComparisonsResource(ComparisonService comparisons, ConversationParser parser) {
    this.comparisons = requireNonNull(comparisons, "comparisons is null");
    this.parser = requireNonNull(parser, "parser is null");
  }

  @Override
  public void register(Routes routes) {
    routes.post(BASE, Access.MEMBER, this::compare);
    routes.get(BASE, Access.MEMBER, this::list);
    // Before the {id} route, which would take "export" for an id.
    routes.get(BASE + "/export", Access.MEMBER, this::export);
    routes.get(BASE + "/{id}", Access.MEMBER, this::get);
    routes.post(BASE + "/{id}/judgments", Access.MEMBER, this::judge);
  }

  private void compare(Context ctx) throws InterruptedException {
    Fields fields = new Fields(Requests.jsonObject(ctx));
    List<ComparisonService.ModelChoice> models = models(fields);
    Optional<String> globalKey = fields.string("global_key");
    Optional<ChatInput> input = ChatInput.read(fields, parser);
    fields.rejectUnknown();
    fields.throwIfErrors("invalid comparison");
    ChatInput given = input.orElseThrow();
    ComparisonService.NewComparison request =
        new ComparisonService.NewComparison(
            given.conversation(), given.inferenceParams(), models, globalKey);
    if (Optional.ofNullable(ctx.header("Accept")).orElse("").contains(NDJSON)) {
      stream(ctx, request);
      return;
    }
    Comparison comparison = comparisons.compare(request);
    ctx.status(201).json(ChatViews.comparison(comparison, true));
  }

  /**
   * The comparison as NDJSON events, each written when it happens: an {@code answer} line per model
   * as its answer comes, then the stored {@code comparison}, or an {@code error} should storing it
   * fail. Problems found before any model is called are the usual error answer instead.
   */
  private void stream(Context ctx, ComparisonService.NewComparison request)
      throws InterruptedException {
    AnswerStream events = new AnswerStream(ctx);
    try {
      Comparison comparison =
          comparisons.compare(
              request,
              (index, answer) -> {
                ObjectNode line = MAPPER.createObjectNode().put("event", "answer");
                line.put("index", index);
                ObjectNode view = line.putObject("answer").put("message_id", answer.id().value());
                view.setAll(ChatViews.outcome(answer.outcome(), true));
                events.write(line);
              });
      ObjectNode line = MAPPER.createObjectNode().put("event", "comparison");
      line.set("comparison", ChatViews.comparison(comparison, true));
      events.write(line);
    } catch (FoundryException failure) {
      if (!events.started()) {
        throw failure;
      }
      ObjectNode line = MAPPER.createObjectNode().put("event", "error");
      line.setAll(MAPPER.<ObjectNode>valueToTree(ApiErrors.body(failure)));
      events.write(line);
    }
  }

  /** Starts the NDJSON answer on its first line; a client gone away makes later lines no-ops. */
  private static final class AnswerStream {
    private final Context ctx;
    private OutputStream out;
    private boolean gone;

    private AnswerStream(Context ctx) {
      this.ctx = ctx;
    }

    boolean started() {
      return out != null;
    }

    void write(ObjectNode line) {
      if (gone) {
        return;
      }
      try {
        if (out == null) {
          ctx.disableCompression();
          ctx.status(200)
              .contentType(NDJSON)
              .header("Cache-Control", "no-cache")
              .header("X-Accel-Buffering", "no");
          // The servlet's own stream: Javalin's wrapper holds small writes back until the
          // handler returns, and each answer must reach the client when it comes.
          out = ctx.res().getOutputStream();
        }
        // Raw responses are written as they came, line breaks included; outside strings (the only
        // place valid JSON has them) they are mere spacing, and one event must stay one line.
        String json = MAPPER.writeValueAsString(line).replace('\n', ' ').replace('\r', ' ');
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException away) {
        // The comparison is stored all the same; the client reads it back by id.
        gone = true;
      }
    }
  }

  private void list(Context ctx) {
    ctx.json(ChatViews.page(comparisons.list(Paging.request(ctx))));
  }

  private void get(Context ctx) {
    ctx.json(ChatViews.comparison(comparisons.get(id(ctx)), true));
  }

  private void judge(Context ctx) {
    ComparisonId id = id(ctx);
    Fields fields = new Fields(Requests.jsonObject(ctx));
    Optional<VerdictKind> kind =
        fields.choice("kind", VerdictKind::parse, "single_selection, multi_selection or ranking");
    if (kind.isEmpty() && !fields.problems().hasErrors()) {
      fields.problems().error("kind", "required: single_selection, multi_selection or ranking");
    }
    List<String> references = references(fields, kind);
    Optional<String> feature = fields.string("feature");
    fields.rejectUnknown();
    fields.throwIfErrors("invalid judgment");
    Optional<String> judge =
        Optional.ofNullable(ctx.<ApiKey>attribute(AccessCheck.KEY_ATTRIBUTE))
            .map(key -> key.id().value());
    Judgment judgment = comparisons.judge(id, kind.orElseThrow(), references, feature, judge);
    ctx.status(201).json(ChatViews.judgment(judgment));
  }

  private void export(Context ctx) {
    String format =
        Optional.ofNullable(ctx.queryParam("format")).orElse("ndjson").toLowerCase(Locale.ROOT);
    switch (format) {
      case "report" -> {
        WinReport report = new WinReport();
        comparisons.forEach(report::add);
        ctx.json(ChatViews.report(report));
      }
      case "ndjson" -> {
        ctx.disableCompression();
        ctx.status(200)
            .contentType(NDJSON)
            .header("Content-Disposition", "attachment; filename=\"comparisons.ndjson\"");
        StreamedExport.send(
            ctx,
            "the export of the chat comparisons",
            out -> comparisons.forEach(comparison -> LabelboxExport.write(comparison, out)));
      }
      default ->
          throw new FoundryException(
              ErrorCode.INVALID_INPUT,
              "invalid export format",
              List.of(
                  Problem.error("format", "expected ndjson or report, got \"" + format + "\"")));
    }
  }

  private static ComparisonId id(Context ctx) {
    return Ids.parse(ctx.pathParam("id"), ComparisonId.PREFIX, ComparisonId::new, "comparison");
  }

  /** {@code models}: model ids, or objects {@code {"model_id", "model_version"}}. */
  private static List<ComparisonService.ModelChoice> models(Fields fields) {
    Optional<JsonNode> given = fields.node("models");
    if (given.isEmpty() || !given.get().isArray()) {
      fields
          .problems()
          .error(
              "models",
              "expected a list of model ids or {model_id, model_version} objects, got "
                  + Json.describe(given.orElse(null)));
      return List.of();
    }
    List<ComparisonService.ModelChoice> models = new ArrayList<>();
    for (int index = 0; index < given.get().size(); index++) {
      JsonNode item = given.get().get(index);
      String path = "models[" + index + "]";
      if (item.isString()) {
        modelId(fields, item.asString(), path)
            .ifPresent(
                id -> models.add(new ComparisonService.ModelChoice(id, OptionalInt.empty())));
      } else if (item instanceof ObjectNode object) {
        Fields choice = new Fields(object, path, fields.problems());
        String text = choice.requiredString("model_id");
        OptionalInt version = ChatResource.version(choice, "model_version");
        choice.rejectUnknown();
        modelId(fields, text, path + ".model_id")
            .ifPresent(id -> models.add(new ComparisonService.ModelChoice(id, version)));
      } else {
        fields
            .problems()
            .error(
                path,
                "expected a model id or {model_id, model_version}, got " + Json.describe(item));
      }
    }
    return models;
  }

  private static Optional<ModelId> modelId(Fields fields, String text, String path) {
    if (!text.startsWith(ModelId.PREFIX) || text.length() <= ModelId.PREFIX.length()) {
      if (!text.isEmpty()) {
        fields.problems().error(path, "expected a model id (mdl_...), got \"" + text + "\"");
      }
      return Optional.empty();
    }
    return Optional.of(new ModelId(text));
  }

  private static List<String> references(Fields fields, Optional<VerdictKind> kind) {
    Optional<JsonNode> selected = fields.node("selected");
    Optional<JsonNode> ranking = fields.node("ranking");
    if (kind.isEmpty()) {
      return List.of();
    }
    String field = kind.get() == VerdictKind.RANKING ? "ranking" : "selected";
    Optional<JsonNode> value = kind.get() == VerdictKind.RANKING ? ranking : selected;
    Optional<JsonNode> other = kind.get() == VerdictKind.RANKING ? selected : ranking;
    if (other.isPresent()) {
      fields
          .problems()
          .error(
              kind.get() == VerdictKind.RANKING ? "selected" : "ranking",
              "a " + kind.get().word() + " judgment names its answers in " + field);
    }
    if (kind.get() == VerdictKind.SINGLE_SELECTION) {
      if (value.isEmpty() || !value.get().isString()) {
        fields
            .problems()
            .error(
                field,
                "expected the answer picked (a msg_... or mdl_... id), got "
                    + Json.describe(value.orElse(null)));
        return List.of();
      }
      return List.of(value.get().asString());
    }
    if (value.isEmpty() || !value.get().isArray()) {
      fields
          .problems()
          .error(
              field,
              "expected a list of answers (msg_... or mdl_... ids), got "
                  + Json.describe(value.orElse(null)));
      return List.of();
    }
    List<String> references = new ArrayList<>();
    for (int index = 0; index < value.get().size(); index++) {
      JsonNode item = value.get().get(index);
      if (item.isString()) {
        references.add(item.asString());
      } else {
        fields
            .problems()
            .error(
                field + "[" + index + "]",
                "expected a msg_... or mdl_... id, got " + Json.describe(item));
      }
    }
    return references;
  }
}
