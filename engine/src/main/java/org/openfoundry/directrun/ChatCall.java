package org.openfoundry.directrun;

import com.github.f4b6a3.ulid.UlidCreator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.adapters.AdapterException;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterResult;
import org.openfoundry.chat.Conversation;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.EndpointClientTransport;
import org.openfoundry.dispatch.EndpointError;
import org.openfoundry.dispatch.EndpointExchange;
import org.openfoundry.dispatch.EndpointRequest;
import org.openfoundry.dispatch.InteractiveCalls;
import org.openfoundry.dispatch.ModelHold;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.dispatch.TransportFailure;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * One chat call from start to answer: a slot under the model's concurrency cap, then per attempt a
 * rate slot and one adapter call, failures judged by the retry policy (a 429 holds the whole model
 * back), all within the chat's wait limit. Every attempt carries the same idempotency key.
 */
final class ChatCall {
  /** One start per nanosecond: how a model without a rate still meets the hold of a 429. */
  private static final double UNLIMITED_RATE = 1e9;

  private final ChatTarget target;
  private final Conversation conversation;
  private final ChatService service;
  private final EndpointCall call;
  private final String idempotencyKey = "chat_" + UlidCreator.getMonotonicUlid();
  private Instant started = Instant.EPOCH;
  private Instant deadline = Instant.EPOCH;
  private OptionalInt lastStatus = OptionalInt.empty();

  ChatCall(ChatTarget target, Conversation conversation, ChatService service) {
    this.target = target;
    this.conversation = conversation;
    this.service = service;
    this.call = target.call();
  }

  /** What one attempt came to. */
  private sealed interface Tried {}

  private record Answered(AdapterResult result, String raw, int status, Duration latency)
      implements Tried {}

  private record Failed(RetryPolicy.AttemptFailure failure, ErrorCode code, String message)
      implements Tried {}

  ChatOutcome run() throws InterruptedException {
    started = service.clock().instant();
    deadline = started.plus(service.settings().maxWait());
    InteractiveCalls.Permit permit;
    try {
      permit =
          service
              .parts()
              .interactive()
              .enter(target.model().id(), call.maxConcurrency(), remaining());
    } catch (FoundryException busy) {
      return failure(busy.code(), busy.getMessage(), 0);
    }
    try (permit) {
      return attempts();
    }
  }

  private ChatOutcome attempts() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> slot = rateSlot();
      if (slot.isEmpty()) {
        return failure(
            ErrorCode.UNAVAILABLE,
            "the model's rate limit has no free slot within "
                + service.settings().maxWait().toSeconds()
                + " s; try again later",
            attempt - 1);
      }
      pause(slot.get());
      switch (attempt(attempt)) {
        case Answered answered -> {
          return answer(answered, attempt);
        }
        case Failed failed -> {
          Optional<Instant> retryAt = judge(failed, attempt);
          if (retryAt.isEmpty()) {
            return failure(failed.code(), failed.message(), attempt);
          }
          if (retryAt.get().isAfter(deadline)) {
            return failure(
                failed.code(),
                failed.message() + "; the next attempt would start past the chat's wait limit",
                attempt);
          }
          pause(Duration.between(service.clock().instant(), retryAt.get()));
        }
      }
    }
  }

  /** The rate slot of the next attempt, reserved directly: the run queue is never in front. */
  private Optional<Duration> rateSlot() {
    double rate = call.requestsPerSecond().orElse(UNLIMITED_RATE);
    List<Duration> slots =
        service.parts().rateLimiter().reserve(target.model().id(), rate, 1, remaining());
    return slots.isEmpty() ? Optional.empty() : Optional.of(slots.getFirst());
  }

  /** When to try again, or empty when the failure is final; a 429 holds the whole model back. */
  private Optional<Instant> judge(Failed failed, int attempt) {
    Instant now = service.clock().instant();
    RetryPolicy retries = service.parts().retries();
    AttemptOutcome outcome = retries.decide(failed.failure(), attempt, call.maxAttempts(), now);
    ModelHold.after(
        service.parts().rateLimiter(),
        retries,
        target.model().id(),
        failed.failure(),
        attempt,
        now);
    return switch (outcome) {
      case AttemptOutcome.RetryLater later -> Optional.of(later.availableAt());
      case AttemptOutcome.Failed last -> Optional.empty();
      case AttemptOutcome.Succeeded succeeded ->
          throw new IllegalStateException("a failure cannot be judged a success");
    };
  }

  private Tried attempt(int number) throws InterruptedException {
    RecordingTransport transport =
        new RecordingTransport(
            new EndpointClientTransport(
                service.parts().client(),
                call,
                target.secret(),
                Map.of(
                    EndpointRequest.IDEMPOTENCY_KEY,
                    idempotencyKey,
                    EndpointRequest.ATTEMPT,
                    Integer.toString(number))));
    Instant begun = service.clock().instant();
    try {
      AdapterResult result = target.adapter().runDirect(conversation, target.params(), transport);
      Duration latency = Duration.between(begun, service.clock().instant());
      int status = transport.last().map(AdapterReply::status).orElse(200);
      lastStatus = OptionalInt.of(status);
      return new Answered(result, raw(result, transport), status, latency);
    } catch (TransportFailure e) {
      stopIfInterrupted();
      return broken(e.broken());
    } catch (AdapterException e) {
      stopIfInterrupted();
      return adapterFailed(e, Duration.between(begun, service.clock().instant()));
    } catch (FoundryException e) {
      stopIfInterrupted();
      return finalFailure(
          e.code(), e.describe(), Duration.between(begun, service.clock().instant()));
    }
  }

  private Tried broken(EndpointExchange.Broken broken) {
    broken.status().ifPresent(status -> lastStatus = OptionalInt.of(status));
    ErrorCode code =
        switch (broken.error()) {
          case OUTBOUND_BLOCKED -> ErrorCode.OUTBOUND_BLOCKED;
          case RESPONSE_TOO_LARGE -> ErrorCode.ADAPTER_RESPONSE_INVALID;
          case ENDPOINT_TIMEOUT, ENDPOINT_TOTAL_TIMEOUT, ENDPOINT_CONNECT_TIMEOUT ->
              ErrorCode.ADAPTER_TIMEOUT;
          default -> ErrorCode.UNAVAILABLE;
        };
    String message = "the model's endpoint could not be read: " + redact(broken.detail());
    return new Failed(
        new RetryPolicy.AttemptFailure(
            broken.error().name(),
            broken.status(),
            message,
            redact(broken.bodyPrefix()),
            broken.latency(),
            broken.retryAfter()),
        code,
        message);
  }

  /**
   * A status other than 2xx is judged as the endpoint's would be; a vendor-side time-out is tried
   * again; an answer that cannot be read or mapped is final.
   */
  private Tried adapterFailed(AdapterException e, Duration latency) {
    Optional<AdapterReply> reply = e.reply();
    reply.ifPresent(last -> lastStatus = OptionalInt.of(last.status()));
    String message = redact(e.describe());
    String prefix = reply.map(last -> redact(excerpt(last.body()))).orElse("");
    if (reply.isPresent() && !reply.get().isSuccess()) {
      int status = reply.get().status();
      return new Failed(
          new RetryPolicy.AttemptFailure(
              EndpointError.forStatus(status),
              OptionalInt.of(status),
              message,
              prefix,
              latency,
              reply.get().header("Retry-After")),
          ErrorCode.ADAPTER_ENDPOINT_FAILED,
          message);
    }
    if (e.code() == ErrorCode.ADAPTER_TIMEOUT) {
      return new Failed(
          new RetryPolicy.AttemptFailure(
              EndpointError.ENDPOINT_TOTAL_TIMEOUT.name(),
              lastStatus,
              message,
              prefix,
              latency,
              Optional.empty()),
          e.code(),
          message);
    }
    return finalFailure(e.code(), message, latency);
  }

  private Failed finalFailure(ErrorCode code, String message, Duration latency) {
    String redacted = redact(message);
    return new Failed(
        new RetryPolicy.AttemptFailure(
            code.name(), lastStatus, redacted, "", latency, Optional.empty()),
        code,
        redacted);
  }

  private ChatAnswer answer(Answered answered, int attempts) {
    AdapterResult result = answered.result();
    return new ChatAnswer(
        target.model(),
        answered.status(),
        answered.raw(),
        result.assistantText(),
        result.usage(),
        answered.latency(),
        attempts,
        Duration.between(started, service.clock().instant()));
  }

  private ChatFailure failure(ErrorCode code, String message, int attempts) {
    String counted = attempts > 1 ? message + " (after " + attempts + " attempts)" : message;
    return new ChatFailure(
        target.model(),
        code,
        counted,
        lastStatus,
        attempts,
        Duration.between(started, service.clock().instant()));
  }

  /**
   * The response body exactly as it came when it is the adapter's raw response (it is unless the
   * adapter polled or unwrapped it), with the model's secret masked should the endpoint echo it.
   */
  private String raw(AdapterResult result, RecordingTransport transport) {
    String text =
        transport
            .last()
            .map(AdapterReply::body)
            .filter(body -> Json.sameJson(body, result.rawResponse()))
            .orElseGet(() -> Json.write(result.rawResponse()));
    return redact(text);
  }

  private Duration remaining() {
    Duration left = Duration.between(service.clock().instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void pause(Duration duration) throws InterruptedException {
    if (duration.isPositive()) {
      service.sleeper().sleep(duration);
    }
  }

  private String redact(String text) {
    return target.secret().map(secret -> secret.redact(text)).orElse(text);
  }

  private static String excerpt(String body) {
    return body.length() <= 1024 ? body : body.substring(0, 1024);
  }

  private static void stopIfInterrupted() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while waiting for the model");
    }
  }
}
