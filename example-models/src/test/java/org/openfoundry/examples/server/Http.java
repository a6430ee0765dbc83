package org.openfoundry.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small real HTTP client for the tests, with JSON bodies. */
final class Http implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, HttpHeaders headers, byte[] body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  Reply post(URI uri, String body) {
    return post(uri, body, "application/json");
  }

  Reply post(URI uri, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET().build());
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A task request with the given row data, ontology and parameters (JSON texts). */
  static String task(String rowData, String ontology, String params) {
    return "{\"data_row\": {\"id\": \"dr_test\", \"global_key\": \"row\", \"row_data\": "
        + JSON.writeValueAsString(rowData)
        + "}, \"ontology\": "
        + ontology
        + ", \"inference_params\": "
        + params
        + "}";
  }

  @Override
  public void close() {
    client.close();
  }
}
