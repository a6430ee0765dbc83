package org.openfoundry.server.chat;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ConversationParser;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatService;
import org.openfoundry.directrun.ChatTarget;
import org.openfoundry.models.ModelId;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Access;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;

/**
 * {@code POST /api/v1/models/{id}/chat}: one conversation to one model version. Answers with the
 * raw response written unchanged inside the answer, or with {@code ?format=raw} as the whole body
 * (latency and attempts in headers).
 */
public final class ChatResource implements Resource {
  /** Headers of a raw answer: what would otherwise be fields of the JSON answer. */
  static final String ATTEMPTS_HEADER = "OpenFoundry-Attempts";

  static final String LATENCY_HEADER = "OpenFoundry-Latency-Ms";
  static final String MODEL_VERSION_HEADER = "OpenFoundry-Model-Version";

  private final ChatService chat;
  private final ConversationParser parser;

  public ChatResource(ChatService chat, ConversationParser parser) {
    this.chat = requireNonNull(chat, "chat is null");
    this.parser = requireNonNull(parser, "parser is null");
  }

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/models/{id}/chat", Access.MEMBER, this::chat);
  }

  private void chat(Context ctx) throws InterruptedException {
    ModelId id = Ids.parse(ctx.pathParam("id"), ModelId.PREFIX, ModelId::new, "model");
    boolean raw = rawFormat(ctx);
    Fields fields = new Fields(Requests.jsonObject(ctx));
    OptionalInt version = version(fields, "model_version");
    Optional<ChatInput> input = ChatInput.read(fields, parser);
    fields.rejectUnknown();
    fields.throwIfErrors("invalid chat request");
    ChatInput given = input.orElseThrow();
    ChatTarget target = chat.target(id, version, given.inferenceParams());
    Conversation conversation = chat.attachments(given.conversation(), given.inferenceParams());
    ChatAnswer answer = chat.chat(target, conversation);
    if (raw) {
      ctx.status(200)
          .contentType(Requests.JSON)
          .header(ATTEMPTS_HEADER, Integer.toString(answer.attempts()))
          .header(LATENCY_HEADER, Long.toString(answer.latency().toMillis()))
          .header(MODEL_VERSION_HEADER, Integer.toString(answer.model().version()))
          .result(answer.rawResponse());
      return;
    }
    ctx.json(ChatViews.outcome(answer, true));
  }

  /** A model version number: a whole number from 1. */
  static OptionalInt version(Fields fields, String name) {
    Optional<Long> number = fields.integer(name);
    if (number.isEmpty()) {
      return OptionalInt.empty();
    }
    if (number.get() < 1 || number.get() > Integer.MAX_VALUE) {
      fields.problems().error(fields.path(name), "expected a version from 1, got " + number.get());
      return OptionalInt.empty();
    }
    return OptionalInt.of(number.get().intValue());
  }

  private static boolean rawFormat(Context ctx) {
    String format =
        Optional.ofNullable(ctx.queryParam("format")).orElse("json").toLowerCase(Locale.ROOT);
    if (!List.of("json", "raw").contains(format)) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid answer format",
          List.of(Problem.error("format", "expected json or raw, got \"" + format + "\"")));
    }
    return format.equals("raw");
  }
}
