package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.Problem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One adapter call: sends requests through the transport, counts the exchanges, reads replies as
 * JSON, and builds the result or the exception with the last reply attached.
 */
final class Call {
  private final EndpointTransport transport;
  private int exchanges;
  private Optional<AdapterReply> last = Optional.empty();

  Call(EndpointTransport transport) {
    this.transport = requireNonNull(transport, "transport is null");
  }

  /** Sends a request and returns its reply whatever the status. */
  AdapterReply exchange(AdapterRequest request) {
    exchanges++;
    AdapterReply reply = transport.exchange(request);
    last = Optional.of(reply);
    return reply;
  }

  /** Sends a request and returns its JSON body, failing on a status other than 2xx. */
  JsonNode send(AdapterRequest request) {
    AdapterReply reply = exchange(request);
    if (!reply.isSuccess()) {
      throw failed(
          "the endpoint answered HTTP "
              + reply.status()
              + vendorMessage(reply).map(message -> ": " + message).orElse(""));
    }
    return json(reply);
  }

  JsonNode post(URI uri, JsonNode body) {
    return send(AdapterRequest.post(uri, body));
  }

  JsonNode json(AdapterReply reply) {
    if (reply.body().isBlank()) {
      throw invalid("", "the endpoint answered HTTP " + reply.status() + " with an empty body");
    }
    try {
      return Json.ANSWERS.readTree(reply.body());
    } catch (JacksonException e) {
      throw invalid(
          "",
          UntrustedJson.limitPassed(e)
              .map(limit -> "the endpoint's answer is too large to read: " + limit)
              .orElseGet(
                  () ->
                      "the endpoint answered text that is not JSON: \""
                          + Json.shorten(reply.body())
                          + "\""));
    }
  }

  int exchanges() {
    return exchanges;
  }

  AdapterResult result(
      JsonNode raw,
      Optional<ObjectNode> response,
      Optional<String> assistantText,
      Optional<TokenUsage> usage) {
    return new AdapterResult(raw, response, assistantText, usage, exchanges);
  }

  AdapterResult rowResult(JsonNode raw, ObjectNode response, Optional<TokenUsage> usage) {
    return result(raw, Optional.of(response), Optional.empty(), usage);
  }

  AdapterResult chatResult(JsonNode raw, Optional<String> text, Optional<TokenUsage> usage) {
    return result(raw, Optional.empty(), text, usage);
  }

  /** The vendor's answer cannot be read: names the JSON path in the response. */
  AdapterException invalid(String path, String message) {
    return new AdapterException(
        ErrorCode.ADAPTER_RESPONSE_INVALID,
        "cannot read the model's response",
        List.of(Problem.error(path, message)),
        last,
        exchanges);
  }

  AdapterException failed(String message) {
    return new AdapterException(
        ErrorCode.ADAPTER_ENDPOINT_FAILED, message, List.of(), last, exchanges);
  }

  /** A JSONata mapping of the manifest failed on this input or response. */
  AdapterException mappingFailed(String optionKey, String message) {
    return new AdapterException(
        ErrorCode.ADAPTER_MAPPING_FAILED,
        "the adapter's " + optionKey + " failed",
        List.of(Problem.error(Options.path(optionKey), message)),
        last,
        exchanges);
  }

  AdapterException error(ErrorCode code, String message) {
    return new AdapterException(code, message, List.of(), last, exchanges);
  }

  /** The error message vendors put in their error bodies, in the shapes they use. */
  static Optional<String> vendorMessage(AdapterReply reply) {
    JsonNode body;
    try {
      body = Json.ANSWERS.readTree(reply.body());
    } catch (JacksonException e) {
      return reply.body().isBlank()
          ? Optional.empty()
          : Optional.of("\"" + Json.shorten(reply.body()) + "\"");
    }
    for (String pointer : List.of("/error/message", "/error", "/message", "/detail", "/title")) {
      JsonNode value = body.at(pointer);
      if (value.isString() && !value.stringValue().isBlank()) {
        return Optional.of(Json.shorten(value.stringValue()));
      }
    }
    return Optional.of(Json.shorten(body.toString()));
  }
}
