package org.openfoundry.cli.chat;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few calls of the server's API the chat commands make, on the JDK's HTTP client. An error
 * answer becomes a {@link FoundryException} with the server's code, message and details; a server
 * that cannot be reached, one whose message names the URL.
 */
final class ChatApi {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Model calls wait for slots and retries on the server: give them time. */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI server;
  private final Optional<String> apiKey;

  ChatApi(URI server, Optional<String> apiKey) {
    this.server = requireNonNull(server, "server is null");
    this.apiKey = requireNonNull(apiKey, "apiKey is null");
  }

  /** A successful answer: its body and headers. */
  record Answer(String body, HttpResponse<String> response) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer post(String path, JsonNode body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /**
   * The model with this id ({@code mdl_...}) or this exact name.
   *
   * @throws FoundryException {@code NOT_FOUND} when no model has that name
   */
  JsonNode model(String idOrName) {
    if (idOrName.startsWith("mdl_")) {
      return get("/api/v1/models/" + encode(idOrName)).json();
    }
    Optional<String> cursor = Optional.empty();
    do {
      JsonNode page =
          get("/api/v1/models?limit=500" + cursor.map(next -> "&cursor=" + encode(next)).orElse(""))
              .json();
      for (JsonNode model : page.path("items")) {
        if (model.path("name").asString("").equals(idOrName)) {
          return get("/api/v1/models/" + encode(model.path("id").asString())).json();
        }
      }
      cursor =
          page.path("next_cursor").isString()
              ? Optional.of(page.path("next_cursor").asString())
              : Optional.empty();
    } while (cursor.isPresent());
    throw new FoundryException(ErrorCode.NOT_FOUND, "no model is named \"" + idOrName + "\"");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path)).timeout(CALL_TIMEOUT);
    apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    return request;
  }

  private Answer send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoundryException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + server);
    }
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return new Answer(response.body(), response);
    }
    throw failure(response);
  }

  private FoundryException unreachable(IOException e) {
    return new FoundryException(
        ErrorCode.UNAVAILABLE,
        "cannot reach the server at "
            + server
            + " ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + "); set --server or FOUNDRY_SERVER");
  }

  private static FoundryException failure(HttpResponse<String> response) {
    JsonNode error;
    try {
      error = JSON.readTree(response.body()).path("error");
    } catch (JacksonException notJson) {
      error = JSON.missingNode();
    }
    ErrorCode code = ErrorCode.INTERNAL;
    try {
      code = ErrorCode.valueOf(error.path("code").asString(""));
    } catch (IllegalArgumentException unknown) {
      // An answer without our error shape: the status says enough.
    }
    String message =
        error.path("message").isString()
            ? error.path("message").asString()
            : "the server answered HTTP " + response.statusCode();
    List<Problem> problems = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      problems.add(
          Problem.error(detail.path("path").asString(""), detail.path("message").asString("")));
    }
    return new FoundryException(code, code.name() + ": " + message, problems);
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
