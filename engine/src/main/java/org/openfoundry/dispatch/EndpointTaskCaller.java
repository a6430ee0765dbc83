package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ratelimit.RateLimiter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the model over HTTP per the wire contract, classifies what came back with the retry policy,
 * post-processes a good response into predictions, and on a 429 holds the whole model back in the
 * rate limiter, not just this task.
 */
public final class EndpointTaskCaller implements TaskCaller {
  // A token a parser's message quotes cut off at its length limit.
  private static final Pattern QUOTED_CUT_TOKEN =
      Pattern.compile("'([^']*?)(\\.\\.\\.|\\[truncated [^]]*\\])'");

  private final EndpointClient client;
  private final ResponsePostProcessor postProcessor;
  private final Failures failures;
  // The latest run's shared request parts: calls of one run follow each other in bulk.
  private volatile EndpointRequest.RunTemplate template;

  public EndpointTaskCaller(
      EndpointClient client,
      ResponsePostProcessor postProcessor,
      RetryPolicy retryPolicy,
      RateLimiter rateLimiter,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.postProcessor = requireNonNull(postProcessor, "postProcessor is null");
    this.failures =
        new Failures(
            requireNonNull(retryPolicy, "retryPolicy is null"),
            requireNonNull(rateLimiter, "rateLimiter is null"),
            requireNonNull(clock, "clock is null"));
  }

  @Override
  public AttemptOutcome attempt(LeasedTask task, RunDispatchContext context, EndpointCall call)
      throws InterruptedException {
    EndpointRequest.RunTemplate current = template;
    if (current == null || !current.isFor(context, call)) {
      current = EndpointRequest.RunTemplate.of(context, call);
      template = current;
    }
    EndpointRequest request = current.forTask(task);
    EndpointExchange exchange = client.send(request, call.timeouts(), call.maxResponseBytes());
    Optional<SecretValue> secret = context.secret();
    return switch (exchange) {
      case EndpointExchange.Broken broken -> failed(task, call, broken.toFailure(secret));
      case EndpointExchange.Answered answered when !answered.isSuccess() ->
          failed(
              task,
              call,
              new RetryPolicy.AttemptFailure(
                  EndpointError.forStatus(answered.status()),
                  OptionalInt.of(answered.status()),
                  "the endpoint answered HTTP " + answered.status(),
                  prefix(Redaction.redact(answered.body(), secret)),
                  answered.latency(),
                  answered.retryAfter()));
      case EndpointExchange.Answered answered -> interpret(answered, task, context);
    };
  }

  private AttemptOutcome failed(
      LeasedTask task, EndpointCall call, RetryPolicy.AttemptFailure failure) {
    return failures.decide(task, call.maxAttempts(), failure);
  }

  private AttemptOutcome interpret(
      EndpointExchange.Answered answered, LeasedTask task, RunDispatchContext context) {
    Optional<SecretValue> secret = context.secret();
    // Masked before it is cut, so that a secret across the cut cannot leave its first half.
    String body = Redaction.redact(answered.body(), secret);
    String prefix = prefix(body);
    if (answered.notUtf8At().isPresent()) {
      return finalFailure(
          EndpointError.RESPONSE_NOT_JSON,
          answered,
          "the response is not UTF-8: the bytes at offset "
              + answered.notUtf8At().getAsInt()
              + " are not a UTF-8 character",
          prefix);
    }
    if (answered.body().isBlank()) {
      return finalFailure(
          EndpointError.RESPONSE_NOT_JSON,
          answered,
          "the response is empty; expected a JSON object keyed by feature names",
          prefix);
    }
    JsonNode json;
    try {
      json = WireJson.MAPPER.readTree(answered.body());
    } catch (JacksonException e) {
      Optional<String> limit = UntrustedJson.limitPassed(e);
      if (limit.isPresent()) {
        return finalFailure(
            EndpointError.RESPONSE_TOO_LARGE,
            answered,
            "the response is too large to read: " + limit.get(),
            prefix);
      }
      return finalFailure(
          EndpointError.RESPONSE_NOT_JSON,
          answered,
          "the response is not JSON: " + maskCutTokens(e.getOriginalMessage(), secret),
          prefix);
    }
    if (json == null || !json.isObject()) {
      return finalFailure(
          EndpointError.RESPONSE_NOT_OBJECT,
          answered,
          "expected a JSON object keyed by feature names, got "
              + (json == null || json.isMissingNode()
                  ? "nothing"
                  : json.getNodeType().name().toLowerCase(Locale.ROOT)),
          prefix);
    }
    ResponsePostProcessor.Processed processed =
        postProcessor.process((ObjectNode) json, context, task.row());
    if (!processed.anyValid()) {
      return finalFailure(
          EndpointError.PREDICTION_INVALID,
          answered,
          "no feature of the response could be used: "
              + Redaction.redact(prefix(processed.report().toString()), secret),
          prefix);
    }
    return new AttemptOutcome.Succeeded(
        answered.status(), answered.latency(), body, processed.predictions(), processed.report());
  }

  private static AttemptOutcome finalFailure(
      EndpointError error, EndpointExchange.Answered answered, String message, String prefix) {
    return new AttemptOutcome.Failed(
        error.name(), OptionalInt.of(answered.status()), message, prefix, answered.latency());
  }

  /**
   * A parser's message with the secret masked, including the start of one in a token the parser
   * quoted only up to its length limit ({@code 'aaa...s3cr...'}), where the rest was cut away.
   */
  static String maskCutTokens(String message, Optional<SecretValue> secret) {
    if (secret.isEmpty()) {
      return message;
    }
    Matcher token = QUOTED_CUT_TOKEN.matcher(Redaction.redact(message, secret));
    StringBuilder masked = new StringBuilder();
    while (token.find()) {
      token.appendReplacement(
          masked,
          Matcher.quoteReplacement(
              "'" + Redaction.redactCut(token.group(1), secret) + token.group(2) + "'"));
    }
    token.appendTail(masked);
    return masked.toString();
  }

  /** The first KiB of a body's UTF-8 encoding, cut on a character boundary. */
  static String prefix(String body) {
    int bytes = 0;
    int index = 0;
    while (index < body.length()) {
      int codePoint = body.codePointAt(index);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > BodyCollector.PREFIX_BYTES) {
        break;
      }
      bytes += size;
      index += Character.charCount(codePoint);
    }
    return body.substring(0, index);
  }
}
