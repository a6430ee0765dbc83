package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of the REST API under {@code /api/v1}: JSON requests and answers, every page of a list,
 * server-sent events and streamed downloads. An error answer becomes an {@link ApiException}; a
 * server that cannot be reached, a {@link FoundryException} whose one line names the URL.
 */
public final class FoundryClient implements AutoCloseable {
  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";
  public static final String NDJSON = "application/x-ndjson";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  private static final int PAGE_LIMIT = 200;

  private final ServerSettings settings;
  private final HttpClient http;
  private final JsonMapper mapper = JsonMapper.builder().build();

  public FoundryClient(ServerSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The server's base URL, such as {@code http://localhost:8080}. */
  public URI server() {
    return settings.server();
  }

  public JsonMapper mapper() {
    return mapper;
  }

  /** A path segment made safe to put in a URL path: an id or a name typed by a person. */
  public static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter's value, encoded. */
  public static String query(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  public JsonNode get(String path) {
    return json(request(path).GET(), Optional.of(REQUEST_TIMEOUT));
  }

  public JsonNode postJson(String path, JsonNode body) {
    return send("POST", path, JSON, BodyPublishers.ofString(mapper.writeValueAsString(body)));
  }

  /** A POST without a body, as the steering routes of a run take. */
  public JsonNode post(String path) {
    return send("POST", path, JSON, BodyPublishers.noBody());
  }

  public JsonNode send(String method, String path, String contentType, BodyPublisher body) {
    return json(
        request(path).header("Content-Type", contentType).method(method, body),
        Optional.of(REQUEST_TIMEOUT));
  }

  /** Like {@link #send} for bodies that may take long to upload, such as a big import. */
  public JsonNode upload(String path, String contentType, BodyPublisher body) {
    return json(request(path).header("Content-Type", contentType).POST(body), Optional.empty());
  }

  /** Every item of a paged list, following {@code next_cursor}, up to {@code max} items. */
  public List<JsonNode> list(String path, int max) {
    List<JsonNode> items = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    String separator = path.contains("?") ? "&" : "?";
    do {
      int limit = Math.min(PAGE_LIMIT, max - items.size());
      String page =
          path
              + separator
              + "limit="
              + limit
              + cursor.map(next -> "&cursor=" + query(next)).orElse("");
      JsonNode body = get(page);
      for (JsonNode item : body.path("items")) {
        items.add(item);
      }
      cursor = body.path("next_cursor").asStringOpt().filter(next -> !next.isEmpty());
    } while (cursor.isPresent() && items.size() < max);
    return items;
  }

  /** Reads a stream of server-sent events until it ends or the listener stops it. */
  public void events(String path, EventListener listener) {
    HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> response = exchange(request, BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        throw error(response.statusCode(), String.join("\n", (Iterable<String>) lines::iterator));
      }
      readEvents(lines.iterator(), listener);
    } catch (java.io.UncheckedIOException broken) {
      throw unreachable(broken.getCause());
    }
  }

  static void readEvents(Iterator<String> lines, EventListener listener) {
    String name = "message";
    StringBuilder data = new StringBuilder();
    boolean hasData = false;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (hasData && !listener.event(name, data.toString())) {
          return;
        }
        name = "message";
        data.setLength(0);
        hasData = false;
      } else if (line.startsWith(":")) {
        listener.keepAlive();
      } else if (line.startsWith("event:")) {
        name = line.substring("event:".length()).strip();
      } else if (line.startsWith("data:")) {
        data.append(hasData ? "\n" : "").append(stripOneSpace(line.substring("data:".length())));
        hasData = true;
      }
    }
    if (hasData) {
      listener.event(name, data.toString());
    }
  }

  /** Copies a streamed answer, such as an export, to {@code out}; returns the bytes copied. */
  public long download(String path, OutputStream out) {
    HttpRequest request = request(path).GET().build();
    HttpResponse<InputStream> response = exchange(request, BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw error(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      return body.transferTo(out);
    } catch (IOException broken) {
      throw unreachable(broken);
    }
  }

  /** Copies a streamed text answer, such as an export, to {@code out}. */
  public void downloadText(String path, Writer out) {
    HttpRequest request = request(path).GET().build();
    HttpResponse<InputStream> response = exchange(request, BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw error(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      new InputStreamReader(body, StandardCharsets.UTF_8).transferTo(out);
    } catch (IOException broken) {
      throw unreachable(broken);
    }
  }

  /**
   * Whether {@code GET path} is served without a key: answered, or redirected (to a sign-in page),
   * rather than refused or not found. Tells whether a server has a page, such as its web UI.
   */
  public boolean serves(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(settings.server() + path))
            .timeout(CONNECT_TIMEOUT)
            .GET()
            .build();
    HttpResponse<Void> response = exchange(request, BodyHandlers.discarding());
    return response.statusCode() < 400;
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(settings.server() + path))
            .header("Accept", JSON)
            .header("User-Agent", "foundry-cli");
    settings.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
    return builder;
  }

  private JsonNode json(HttpRequest.Builder builder, Optional<Duration> timeout) {
    timeout.ifPresent(builder::timeout);
    HttpResponse<String> response =
        exchange(builder.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw error(response.statusCode(), response.body());
    }
    if (response.body().isBlank()) {
      return mapper.createObjectNode();
    }
    try {
      return mapper.readTree(response.body());
    } catch (JacksonException notJson) {
      throw new FoundryException(
          ErrorCode.INVALID_RESPONSE,
          "the server at "
              + settings.server()
              + " answered something that is not JSON; is it an OpenFoundry server?");
    }
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException failed) {
      throw unreachable(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new FoundryException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the server");
    }
  }

  private ApiException error(int status, String body) {
    Optional<JsonNode> json;
    try {
      json = Optional.of(mapper.readTree(body));
    } catch (JacksonException notJson) {
      json = Optional.empty();
    }
    ApiException failure = ApiException.of(status, json, body);
    if (status == 401) {
      return failure.withMessage(failure.getMessage() + keyHint());
    }
    return failure;
  }

  private String keyHint() {
    if (settings.apiKey().isEmpty()) {
      return "; no API key was given: pass --api-key, set "
          + ServerSettings.KEY_VARIABLE
          + ", or put api_key in the CLI config file";
    }
    return " (the key came from " + settings.keyOrigin() + ")";
  }

  private FoundryException unreachable(Throwable failure) {
    String url = settings.server().toString();
    String reason;
    if (failure instanceof HttpConnectTimeoutException) {
      reason = "the connection timed out after " + CONNECT_TIMEOUT.toSeconds() + " s";
    } else if (failure instanceof HttpTimeoutException) {
      reason = "it did not answer within " + REQUEST_TIMEOUT.toMinutes() + " minutes";
    } else if (failure instanceof ConnectException
        && failure.getCause() instanceof UnresolvedAddressException) {
      reason = "the host " + settings.server().getHost() + " is not known";
    } else if (failure instanceof ConnectException) {
      reason = "the connection was refused; is the server running (foundry serve or foundry demo)?";
    } else {
      reason =
          "the connection failed ("
              + (failure.getMessage() == null
                  ? failure.getClass().getSimpleName()
                  : failure.getMessage())
              + ")";
    }
    return new FoundryException(
        ErrorCode.UNAVAILABLE, "cannot reach the server at " + url + ": " + reason);
  }

  private static String stripOneSpace(String value) {
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  /** An empty JSON object to fill in as a request body. */
  public ObjectNode object() {
    return mapper.createObjectNode();
  }
}
