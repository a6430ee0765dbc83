package org.openfoundry.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client pointed at a server on a local port, with small helpers for the API. */
public final class HttpFixture {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public HttpFixture(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  public URI uri(String path) {
    return base.resolve(path);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException failed) {
      throw new java.io.UncheckedIOException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  public HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }

  public HttpResponse<String> get(String path, String key) {
    return send(request(path, key).GET());
  }

  public HttpResponse<String> delete(String path, String key) {
    return send(request(path, key).DELETE());
  }

  public HttpResponse<String> post(String path, String key, String contentType, String body) {
    return send(
        request(path, key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> post(String path, String key, String contentType, byte[] body) {
    return send(
        request(path, key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public HttpResponse<String> postJson(String path, String key, String json) {
    return post(path, key, "application/json", json);
  }

  public static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  public static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }
}
