package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import org.openfoundry.adapters.Adapter;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.chat.AttachmentInliner;
import org.openfoundry.chat.Conversation;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.InteractiveCalls;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.time.Sleeper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends conversations straight to models. {@link #target} picks the model version and checks the
 * inference parameters against its schema; {@link #attachments} fetches and inlines image URLs when
 * {@code use_attachments} is set; {@link #call} sends the conversation through the version's
 * adapter with its secret, timeouts and retry policy, within its concurrency cap (ahead of batch
 * calls) and its rate limit (a slot reserved directly, never behind the run queue).
 */
public final class ChatService {
  /** The platform's own parameter: never sent to the model. */
  public static final String USE_ATTACHMENTS = AttachmentInliner.USE_ATTACHMENTS;

  private static final List<String> TOKEN_LIMITS =
      List.of("max_new_tokens", "max_tokens", "max_completion_tokens");

  /** What the service works with. */
  public record Parts(
      ModelRepository models,
      AdapterRegistry adapters,
      EndpointClient client,
      AttachmentInliner attachments,
      RateLimiter rateLimiter,
      InteractiveCalls interactive,
      RetryPolicy retries) {
    public Parts {
      requireNonNull(models, "models is null");
      requireNonNull(adapters, "adapters is null");
      requireNonNull(client, "client is null");
      requireNonNull(attachments, "attachments is null");
      requireNonNull(rateLimiter, "rateLimiter is null");
      requireNonNull(interactive, "interactive is null");
      requireNonNull(retries, "retries is null");
    }
  }

  private final Parts parts;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ChatSettings settings;

  public ChatService(Parts parts, Clock clock, Sleeper sleeper, ChatSettings settings) {
    this.parts = requireNonNull(parts, "parts is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.sleeper = requireNonNull(sleeper, "sleeper is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /**
   * The model's latest version, or the one numbered {@code version}, with {@code params} checked
   * against its parameter schema and its defaults filled in.
   *
   * @throws FoundryException {@code NOT_FOUND} for an unknown model, {@code CONFLICT} for an
   *     archived one, {@code INVALID_INPUT} for a version it does not have, {@code
   *     INVALID_PARAMETERS} with every problem of the parameters
   */
  public ChatTarget target(ModelId id, OptionalInt version, JsonNode params) {
    requireNonNull(id, "id is null");
    requireNonNull(version, "version is null");
    Model model =
        parts
            .models()
            .get(id)
            .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
    if (model.isArchived()) {
      throw new FoundryException(
          ErrorCode.CONFLICT, "model " + id + " is archived: it takes no new conversations");
    }
    ModelVersion chosen = version(model, version);
    ObjectNode manifestJson = chosen.manifest();
    Manifest manifest = Manifest.fromJson(manifestJson, Secrets.none());
    useAttachments(params);
    ObjectNode resolved = manifest.parameters().resolve(modelParams(params));
    checkTokenLimit(manifest, resolved);
    Adapter adapter = parts.adapters().forManifest(manifest);
    return new ChatTarget(
        new ChatModel(model.id(), chosen.id(), chosen.version(), model.name()),
        adapter,
        EndpointCall.fromManifest(manifestJson),
        parts.models().openSecret(chosen),
        resolved);
  }

  /**
   * The conversation with its image URLs fetched and inlined when {@code params} set {@code
   * use_attachments}, else as it is.
   *
   * @throws FoundryException {@code PAYLOAD_TOO_LARGE} past a size limit, {@code INVALID_INPUT} for
   *     what is not an accepted image, {@code OUTBOUND_BLOCKED} or {@code UNAVAILABLE} for a URL
   *     that cannot be fetched
   */
  public Conversation attachments(Conversation conversation, JsonNode params) {
    requireNonNull(conversation, "conversation is null");
    if (useAttachments(params) && conversation.hasImageUrls()) {
      return parts.attachments().inline(conversation);
    }
    return conversation;
  }

  /**
   * Sends the conversation and waits for the answer; a failed call is returned, not thrown.
   *
   * @throws InterruptedException when the calling thread is interrupted while it waits
   */
  public ChatOutcome call(ChatTarget target, Conversation conversation)
      throws InterruptedException {
    requireNonNull(target, "target is null");
    requireNonNull(conversation, "conversation is null");
    return new ChatCall(target, conversation, this).run();
  }

  /**
   * Sends the conversation and returns the answer.
   *
   * @throws FoundryException the failure's code and message when there is no answer
   */
  public ChatAnswer chat(ChatTarget target, Conversation conversation) throws InterruptedException {
    return switch (call(target, conversation)) {
      case ChatAnswer answer -> answer;
      case ChatFailure failure -> throw failure.toException();
    };
  }

  /**
   * Whether {@code params} ask for attachments to be inlined.
   *
   * @throws FoundryException {@code INVALID_PARAMETERS} when {@code use_attachments} is not a
   *     boolean
   */
  public static boolean useAttachments(JsonNode params) {
    JsonNode value = params == null ? null : params.get(USE_ATTACHMENTS);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS,
          "the inference parameters are not valid",
          List.of(Problem.error(USE_ATTACHMENTS, "expected true or false, got " + value)));
    }
    return value.booleanValue();
  }

  /** The parameters without the platform's own, as the model's schema sees them. */
  static JsonNode modelParams(JsonNode params) {
    if (params == null || !params.isObject()) {
      return params == null ? JsonNodeFactory.instance.objectNode() : params;
    }
    ObjectNode copy = ((ObjectNode) params).deepCopy();
    copy.remove(USE_ATTACHMENTS);
    return copy;
  }

  Parts parts() {
    return parts;
  }

  Clock clock() {
    return clock;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  ChatSettings settings() {
    return settings;
  }

  private ModelVersion version(Model model, OptionalInt number) {
    if (number.isEmpty()) {
      return parts
          .models()
          .version(model.latestVersionId())
          .orElseThrow(
              () ->
                  new FoundryException(
                      ErrorCode.INTERNAL, "model " + model.id() + " has lost its latest version"));
    }
    return parts.models().versions(model.id()).stream()
        .filter(candidate -> candidate.version() == number.getAsInt())
        .findFirst()
        .orElseThrow(
            () ->
                new FoundryException(
                    ErrorCode.INVALID_INPUT,
                    "model " + model.id() + " has no version " + number.getAsInt(),
                    List.of(
                        Problem.error(
                            "model_version",
                            "expected a version from 1 to "
                                + model.latestVersion()
                                + ", got "
                                + number.getAsInt()))));
  }

  /** A token limit asked for may not pass the manifest's {@code max_tokens}. */
  private static void checkTokenLimit(Manifest manifest, ObjectNode params) {
    if (manifest.maxTokens().isEmpty()) {
      return;
    }
    int limit = manifest.maxTokens().getAsInt();
    Problems problems = new Problems();
    for (String name : TOKEN_LIMITS) {
      JsonNode value = params.path(name);
      if (value.isNumber() && value.asDouble() > limit) {
        problems.error(
            name, "expected at most " + limit + " (the model's max_tokens), got " + value);
      }
    }
    problems.throwIfErrors(ErrorCode.INVALID_PARAMETERS, "the inference parameters are not valid");
  }
}
