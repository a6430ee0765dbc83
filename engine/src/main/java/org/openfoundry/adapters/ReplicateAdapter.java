package org.openfoundry.adapters;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Part;
import org.openfoundry.chat.TextPart;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replicate predictions: creates one ({@code POST /v1/predictions} with a {@code version}, or a
 * model's own predictions path) with the row or conversation in {@code input}, optionally waiting
 * on the server with {@code Prefer: wait}, then polls {@code urls.get} until the status is {@code
 * succeeded}, {@code failed} or {@code canceled}, within the total timeout; a prediction still
 * running then is cancelled. The answer is {@code output}.
 */
final class ReplicateAdapter implements Adapter {
  static final String NAME = "replicate";
  private static final Set<String> RUNNING = Set.of("starting", "processing");
  private static final Set<String> FAILED = Set.of("failed", "canceled", "aborted");

  private final URI endpoint;
  private final Optional<String> version;
  private final ObjectNode fixedInput;
  private final String imageKey;
  private final String textKey;
  private final String systemKey;
  private final int preferWaitSeconds;
  private final Duration pollInterval;
  private final Duration totalTimeout;
  private final LanguageSettings settings;
  private final AdapterEnvironment environment;

  private ReplicateAdapter(Settings settings, AdapterEnvironment environment) {
    this.endpoint = settings.endpoint;
    this.version = settings.version;
    this.fixedInput = settings.fixedInput;
    this.imageKey = settings.imageKey;
    this.textKey = settings.textKey;
    this.systemKey = settings.systemKey;
    this.preferWaitSeconds = settings.preferWaitSeconds;
    this.pollInterval = settings.pollInterval;
    this.totalTimeout = settings.totalTimeout;
    this.settings = settings.language;
    this.environment = environment;
  }

  private static final class Settings {
    URI endpoint;
    Optional<String> version;
    ObjectNode fixedInput;
    String imageKey;
    String textKey;
    String systemKey;
    int preferWaitSeconds;
    Duration pollInterval;
    Duration totalTimeout;
    LanguageSettings language;
  }

  static ReplicateAdapter create(
      AdapterConfig config, AdapterEnvironment environment, Options options) {
    Settings settings = new Settings();
    settings.endpoint = config.endpoint();
    settings.version = options.string("version");
    String path = config.endpoint().getPath() == null ? "" : config.endpoint().getPath();
    if (settings.version.isEmpty() && path.replaceAll("/+$", "").endsWith("/v1/predictions")) {
      options.error(
          "version",
          "required when the endpoint is /v1/predictions: the model version id; or use the"
              + " model's own path /v1/models/{owner}/{name}/predictions");
    }
    settings.fixedInput = options.object("input").orElseGet(Json::object);
    settings.imageKey = options.string("image_input_key", "image");
    settings.textKey = options.string("prompt_input_key", "prompt");
    settings.systemKey = options.string("system_prompt_input_key", "system_prompt");
    settings.preferWaitSeconds = (int) options.number("prefer_wait_seconds", 0, 0, 60);
    settings.pollInterval = seconds(options.number("poll_interval_seconds", 1, 0.1, 60));
    settings.totalTimeout = seconds(options.number("total_timeout_seconds", 600, 1, 86_400));
    settings.language = LanguageSettings.read(options, ImageInput.URL);
    options.finish(NAME);
    return new ReplicateAdapter(settings, environment);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    ObjectNode values = baseInput(input.inferenceParams());
    Optional<String> prompt = Rows.prompt(input, settings.prompt());
    switch (input.mediaType()) {
      case TEXT ->
          values.put(textKey, prompt.map(text -> text + "\n\n").orElse("") + input.rowData());
      case IMAGE -> {
        prompt.ifPresent(text -> values.put(textKey, text));
        values.put(
            imageKey,
            switch (Rows.image(input, settings.imageInput(), environment)) {
              case ImagePart image -> image.dataUrl();
              case ImageUrlPart url -> url.url().toString();
              case TextPart text -> text.text();
            });
      }
      case VIDEO, HTML, CONVERSATIONAL -> values.put(imageKey, input.rowData());
    }
    Call call = new Call(transport);
    JsonNode prediction = predict(values, call);
    ObjectNode response =
        settings.answers().fromValue(prediction.path("output"), input.ontology(), "output", call);
    return call.rowResult(prediction, response, usage(prediction));
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    ObjectNode values = baseInput(params);
    List<Part> images =
        conversation.messages().stream()
            .flatMap(message -> message.parts().stream())
            .filter(part -> !(part instanceof TextPart))
            .toList();
    if (images.size() > 1) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "a replicate model takes one image as input, the conversation has " + images.size());
    }
    if (!images.isEmpty()) {
      values.put(
          imageKey,
          switch (images.getFirst()) {
            case ImagePart image -> image.dataUrl();
            case ImageUrlPart url -> url.url().toString();
            case TextPart text -> text.text();
          });
    }
    conversation.systemText().ifPresent(system -> values.put(systemKey, system));
    values.put(textKey, prompt(conversation));
    Call call = new Call(transport);
    JsonNode prediction = predict(values, call);
    return call.chatResult(prediction, text(prediction.path("output")), usage(prediction));
  }

  private ObjectNode baseInput(ObjectNode params) {
    ObjectNode values = fixedInput.deepCopy();
    params.properties().stream()
        .filter(entry -> !entry.getKey().equals("prompt"))
        .forEach(entry -> values.set(entry.getKey(), entry.getValue().deepCopy()));
    return values;
  }

  /** The turns as text: the request alone for one turn, else a transcript. */
  private static String prompt(Conversation conversation) {
    List<Message> turns = new ArrayList<>();
    for (Message message : conversation.turns()) {
      String text = message.text();
      if (!text.isEmpty()) {
        turns.add(Message.text(message.role(), text));
      }
    }
    if (turns.isEmpty()) {
      return "";
    }
    return ChatFormats.transcript(NAME, new Conversation(turns));
  }

  private JsonNode predict(ObjectNode values, Call call) {
    Instant deadline = environment.clock().instant().plus(totalTimeout);
    ObjectNode body = Json.object();
    version.ifPresent(id -> body.put("version", id));
    body.set("input", values);
    AdapterRequest create = AdapterRequest.post(endpoint, body);
    if (preferWaitSeconds > 0) {
      create = create.withHeader("Prefer", "wait=" + preferWaitSeconds);
    }
    JsonNode prediction = call.send(create);
    while (RUNNING.contains(status(prediction, call))) {
      Instant now = environment.clock().instant();
      if (!now.isBefore(deadline)) {
        cancel(prediction, call);
        throw call.error(
            ErrorCode.ADAPTER_TIMEOUT,
            "prediction "
                + prediction.path("id").asString("")
                + " was still "
                + status(prediction, call)
                + " after "
                + totalTimeout.toSeconds()
                + " s (adapter_options.total_timeout_seconds); it was cancelled");
      }
      Duration remaining = Duration.between(now, deadline);
      pause(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
      prediction = call.send(AdapterRequest.get(link(prediction, "get", call)));
    }
    String status = status(prediction, call);
    if (FAILED.contains(status)) {
      JsonNode error = prediction.path("error");
      throw call.failed(
          "prediction "
              + prediction.path("id").asString("")
              + " "
              + status
              + (error.isMissingNode() || error.isNull()
                  ? ""
                  : ": " + Json.shorten(error.asString(error.toString()))));
    }
    return prediction;
  }

  /** Waits before the next poll; an interrupt is kept for the caller to see. */
  private void pause(Duration wait) {
    try {
      environment.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to poll", e);
    }
  }

  private static String status(JsonNode prediction, Call call) {
    JsonNode status = prediction.path("status");
    if (!status.isString()) {
      throw call.invalid(
          "status", "expected the prediction's status, got " + Json.describe(status));
    }
    String word = status.stringValue();
    if (!RUNNING.contains(word) && !FAILED.contains(word) && !word.equals("succeeded")) {
      throw call.invalid(
          "status",
          "expected starting, processing, succeeded, failed or canceled, got \"" + word + "\"");
    }
    return word;
  }

  private static URI link(JsonNode prediction, String name, Call call) {
    JsonNode url = prediction.path("urls").path(name);
    try {
      if (url.isString()) {
        return new URI(url.stringValue());
      }
    } catch (URISyntaxException e) {
      // Reported below with the value.
    }
    throw call.invalid("urls." + name, "expected the prediction's URL, got " + Json.describe(url));
  }

  /** Best effort: the timeout is what the caller hears about, whether the cancel lands or not. */
  private static void cancel(JsonNode prediction, Call call) {
    if (!prediction.path("urls").path("cancel").isString()) {
      return;
    }
    try {
      call.exchange(
          new AdapterRequest(
              HttpMethod.POST, link(prediction, "cancel", call), Map.of(), Optional.empty()));
    } catch (FoundryException e) {
      // The prediction is abandoned either way; Replicate stops it at its own timeout.
    }
  }

  private static Optional<String> text(JsonNode output) {
    if (output.isString()) {
      return Optional.of(output.stringValue());
    }
    if (output.isArray() && !output.isEmpty() && output.get(0).isString()) {
      StringBuilder text = new StringBuilder();
      output.forEach(piece -> text.append(piece.asString("")));
      return Optional.of(text.toString());
    }
    return OpenFoundryAdapter.assistantText(output, Optional.empty());
  }

  private static Optional<TokenUsage> usage(JsonNode prediction) {
    JsonNode metrics = prediction.path("metrics");
    if (!metrics.path("input_token_count").isNumber()
        && !metrics.path("output_token_count").isNumber()) {
      return Optional.empty();
    }
    return Optional.of(
        TokenUsage.of(
            metrics.path("input_token_count").asLong(0),
            metrics.path("output_token_count").asLong(0),
            0));
  }
}
