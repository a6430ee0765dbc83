package org.openfoundry.adapters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A vendor endpoint for tests: a real HTTP server on a free loopback port whose answers are
 * scripted by a function of the request, recording every request it receives.
 */
final class FakeEndpoint implements AutoCloseable {
  /** What the endpoint answers: a status and a JSON (or any) body. */
  record Answer(int status, String body) {
    static Answer ok(String body) {
      return new Answer(200, body);
    }

    static Answer json(JsonNode body) {
      return new Answer(200, body.toString());
    }
  }

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final HttpServer server;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private FakeEndpoint(Function<RecordedRequest, Answer> behaviour) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> handle(exchange, behaviour));
    server.start();
  }

  static FakeEndpoint start(Function<RecordedRequest, Answer> behaviour) {
    try {
      return new FakeEndpoint(behaviour);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake endpoint", e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  RecordedRequest only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests.size());
    }
    return requests.getFirst();
  }

  private void handle(HttpExchange exchange, Function<RecordedRequest, Answer> behaviour)
      throws IOException {
    try (exchange) {
      String text;
      try (InputStream body = exchange.getRequestBody()) {
        text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
      JsonNode json = text.isEmpty() ? MissingNode.getInstance() : MAPPER.readTree(text);
      RecordedRequest request =
          new RecordedRequest(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              exchange.getRequestHeaders(),
              json);
      requests.add(request);
      Answer answer;
      try {
        answer = behaviour.apply(request);
      } catch (RuntimeException | AssertionError e) {
        answer = new Answer(599, "{\"error\": \"the fake endpoint failed: " + e + "\"}");
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
