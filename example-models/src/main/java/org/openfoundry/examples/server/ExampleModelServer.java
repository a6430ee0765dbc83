package org.openfoundry.examples.server;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.openfoundry.examples.bundle.ExampleBundle;
import org.openfoundry.examples.endpoint.ExampleModel;
import org.openfoundry.examples.endpoint.ModelRequest;
import org.openfoundry.examples.language.LanguageAnalysisModel;
import org.openfoundry.examples.shapes.ShapesModel;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP server for all example models: {@code POST /models/<name>} answers a task request,
 * {@code GET /models/<name>} gives the model's manifest, {@code GET /images/<name>.png} serves a
 * bundled image and {@code GET /} lists the models. Requests run on virtual threads.
 */
public final class ExampleModelServer implements AutoCloseable {
  private static final String JSON = "application/json";
  private static final String MODELS = "/models/";

  /** The most of an over-sized request body read (and dropped) before the 413 is sent. */
  private static final long DISCARDED_AT_MOST = 4L * 1024 * 1024;

  private static final String IMAGES = "/images/";

  private final ExampleServerConfig config;
  private final Map<String, ExampleModel> models;
  private final List<AutoCloseable> owned;
  private final JsonMapper mapper =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private HttpServer server;
  private ExecutorService executor;

  /** A server for the given models; their names must be unique. */
  public ExampleModelServer(ExampleServerConfig config, List<? extends ExampleModel> models) {
    this(config, models, List.of());
  }

  private ExampleModelServer(
      ExampleServerConfig config, List<? extends ExampleModel> models, List<AutoCloseable> owned) {
    this.config = requireNonNull(config, "config is null");
    this.owned = List.copyOf(owned);
    Map<String, ExampleModel> byName = new LinkedHashMap<>();
    for (ExampleModel model : models) {
      if (byName.putIfAbsent(model.name(), model) != null) {
        throw new IllegalArgumentException("two models are called " + model.name());
      }
    }
    this.models = Collections.unmodifiableMap(byName);
  }

  /** The server with the bundled example models: shapes and language (loads the NLP models). */
  public static ExampleModelServer withExampleModels(ExampleServerConfig config) {
    HttpClient client = HttpImageLoader.client(config.imageFetch());
    ShapesModel shapes = new ShapesModel(new HttpImageLoader(client, config.imageFetch()));
    return new ExampleModelServer(
        config, List.of(shapes, LanguageAnalysisModel.load()), List.of(client));
  }

  /** Binds the port and starts answering; returns this server. */
  public synchronized ExampleModelServer start() {
    if (server != null) {
      throw new IllegalStateException("the example model server is already started");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** {@code http://host:port}, once started. */
  public synchronized URI baseUri() {
    if (server == null) {
      throw new IllegalStateException("the example model server is not started");
    }
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + server.getAddress().getPort());
  }

  /** The endpoint of a hosted model: {@code http://host:port/models/<name>}. */
  public URI endpoint(String model) {
    if (!models.containsKey(model)) {
      throw new IllegalArgumentException(
          "no model is called " + model + "; there are " + models.keySet());
    }
    return URI.create(baseUri() + MODELS + model);
  }

  public List<String> modelNames() {
    return List.copyOf(models.keySet());
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.close();
      server = null;
    }
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + resource, e);
      }
    }
  }

  /** Runs the example models alone: {@code [--host 127.0.0.1] [--port 8081]}. */
  public static void main(String[] args) {
    ExampleServerConfig config;
    try {
      config = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: ExampleModelServer [--host 127.0.0.1] [--port 8081]");
      System.exit(2);
      return;
    }
    ExampleModelServer server = withExampleModels(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "example-models-stop"));
    System.out.println("OpenFoundry example models listening on " + server.baseUri());
    for (String name : server.modelNames()) {
      System.out.println("  " + name + "  " + server.endpoint(name));
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (FoundryException failure) {
        sendFailure(exchange, failure);
      } catch (RuntimeException failure) {
        // A bug in a model still gets the JSON error body rather than a dropped connection.
        sendFailure(
            exchange,
            new FoundryException(
                ErrorCode.INTERNAL,
                "the model failed: "
                    + failure.getClass().getSimpleName()
                    + ": "
                    + failure.getMessage(),
                List.of(),
                failure));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    if (path.equals("/")) {
      requireMethod(method, "GET");
      sendJson(exchange, 200, index());
      return;
    }
    if (path.startsWith(MODELS)) {
      String name = path.substring(MODELS.length()).replaceAll("/+$", "");
      ExampleModel model = models.get(name);
      if (model == null) {
        throw new FoundryException(
            ErrorCode.NOT_FOUND,
            "no model is served at " + path + "; there are " + models.keySet());
      }
      switch (method) {
        case "POST" -> predict(exchange, model);
        case "GET" -> sendManifest(exchange, model);
        default -> throw methodNotAllowed(method, "GET, POST");
      }
      return;
    }
    if (path.startsWith(IMAGES)) {
      requireMethod(method, "GET");
      String name = path.substring(IMAGES.length());
      byte[] image =
          ExampleBundle.image(name)
              .orElseThrow(
                  () ->
                      new FoundryException(
                          ErrorCode.NOT_FOUND, "no bundled image is called " + name));
      send(exchange, 200, "image/png", image);
      return;
    }
    throw new FoundryException(ErrorCode.NOT_FOUND, "nothing is served at " + path);
  }

  private void predict(HttpExchange exchange, ExampleModel model) throws IOException {
    authorize(exchange);
    requireJson(exchange);
    JsonNode body = parse(readBody(exchange));
    ModelRequest request = ModelRequest.parse(body);
    sendJson(exchange, 200, model.predict(request).toJson());
  }

  private void authorize(HttpExchange exchange) {
    if (config.bearerToken().isEmpty()) {
      return;
    }
    String expected = "Bearer " + config.bearerToken().get();
    String given =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new FoundryException(
          ErrorCode.UNAUTHORIZED, "this model needs the header Authorization: Bearer <secret>");
    }
  }

  private static void requireJson(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null) {
      return;
    }
    String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(JSON) && !mediaType.endsWith("+json")) {
      throw new FoundryException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "expected a JSON body (Content-Type: application/json), got " + type);
    }
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    int cap = config.maxRequestBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    try (InputStream in = exchange.getRequestBody()) {
      if (declared != null
          && declared.strip().matches("\\d{1,18}")
          && Long.parseLong(declared.strip()) > cap) {
        discard(in);
        throw tooLarge(cap);
      }
      byte[] body = in.readNBytes(cap + 1);
      if (body.length > cap) {
        discard(in);
        throw tooLarge(cap);
      }
      return body;
    }
  }

  /**
   * Reads and drops what is left of a body too large to use, up to {@link #DISCARDED_AT_MOST}, so
   * that the 413 reaches a client still sending it: a connection closed with bytes unread is reset,
   * and the client may lose the answer (the server itself drains only 64 KiB). A body larger still
   * is cut off with the connection.
   */
  private static void discard(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long left = DISCARDED_AT_MOST;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
      left -= read;
    }
  }

  private static FoundryException tooLarge(int cap) {
    return new FoundryException(
        ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + cap + " bytes");
  }

  private JsonNode parse(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (JacksonException e) {
      Problem problem = Problem.error("", "not valid JSON: " + e.getOriginalMessage());
      TokenStreamLocation location = e.getLocation();
      if (location != null && location.getLineNr() >= 1 && location.getColumnNr() >= 1) {
        problem =
            problem.at(new SourcePosition("body", location.getLineNr(), location.getColumnNr()));
      }
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "bad request body: " + problem.format(), List.of(problem));
    }
  }

  private void sendManifest(HttpExchange exchange, ExampleModel model) throws IOException {
    URI endpoint = URI.create(baseUriOf(exchange) + MODELS + model.name());
    String manifest = ExampleBundle.manifest(model.name(), endpoint);
    send(
        exchange,
        200,
        "application/yaml; charset=utf-8",
        manifest.getBytes(StandardCharsets.UTF_8));
  }

  /** The base URL as the client reached it, so a manifest names an endpoint the client can use. */
  private String baseUriOf(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return host == null || host.isBlank() ? baseUri().toString() : "http://" + host.strip();
  }

  private ObjectNode index() {
    ObjectNode index = JsonNodeFactory.instance.objectNode();
    ArrayNode list = index.putArray("models");
    for (ExampleModel model : models.values()) {
      list.addObject()
          .put("name", model.name())
          .put("asset_type", model.assetType().name())
          .put("endpoint", MODELS + model.name());
    }
    ArrayNode images = index.putArray("images");
    ExampleBundle.imageNames().forEach(name -> images.add(IMAGES + name));
    return index;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
      throw methodNotAllowed(method, allowed);
    }
  }

  private static FoundryException methodNotAllowed(String method, String allowed) {
    return new MethodNotAllowed(method, allowed);
  }

  /** A request with a method the path does not take: answered 405 with an Allow header. */
  private static final class MethodNotAllowed extends FoundryException {
    private final String allowed;

    MethodNotAllowed(String method, String allowed) {
      super(ErrorCode.INVALID_INPUT, "this path takes " + allowed + ", not " + method);
      this.allowed = allowed;
    }
  }

  private void sendFailure(HttpExchange exchange, FoundryException failure) throws IOException {
    int status = HttpFailure.status(failure.code());
    if (failure instanceof MethodNotAllowed notAllowed) {
      exchange.getResponseHeaders().set("Allow", notAllowed.allowed);
      status = 405;
    }
    sendJson(exchange, status, HttpFailure.body(failure));
  }

  private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, JSON, mapper.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Command-line arguments of {@link #main}. */
  private static final class Arguments {
    private Arguments() {}

    static ExampleServerConfig parse(String[] args) {
      ExampleServerConfig config =
          ExampleServerConfig.defaults().withPort(ExampleServerConfig.DEFAULT_PORT);
      List<String> rest = new ArrayList<>(List.of(args));
      while (!rest.isEmpty()) {
        String flag = rest.removeFirst();
        if (rest.isEmpty()) {
          throw new IllegalArgumentException("unknown or incomplete argument: " + flag);
        }
        String value = rest.removeFirst();
        config =
            switch (flag) {
              case "--port" -> config.withPort(port(value));
              case "--host" ->
                  new ExampleServerConfig(
                      value,
                      config.port(),
                      config.maxRequestBytes(),
                      config.imageFetch(),
                      config.bearerToken());
              default -> throw new IllegalArgumentException("unknown argument: " + flag);
            };
      }
      return config;
    }

    private static int port(String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--port: expected a number from 0 to 65535, got " + value);
      }
    }
  }
}
