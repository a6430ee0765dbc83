package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Handler;
import io.javalin.http.RequestLogger;
import io.javalin.json.JavalinJackson3;
import java.util.ArrayList;
import java.util.List;
import org.openfoundry.server.config.ServerConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP server: Javalin on Jetty with virtual threads, one access check before every matched
 * route, one error mapping, and the routes of every resource.
 */
public final class WebServer implements AutoCloseable {
  private final Javalin javalin;
  private final List<ApiRoute> routes;

  private WebServer(Javalin javalin, List<ApiRoute> routes) {
    this.javalin = javalin;
    this.routes = List.copyOf(routes);
  }

  /** What the server is made of besides its HTTP settings. */
  public record Parts(
      JsonMapper mapper,
      Handler accessCheck,
      RequestLogger requestLogger,
      List<Resource> resources) {
    public Parts {
      requireNonNull(mapper, "mapper is null");
      requireNonNull(accessCheck, "accessCheck is null");
      requireNonNull(requestLogger, "requestLogger is null");
      resources = List.copyOf(resources);
    }
  }

  /** Builds the server and starts listening. */
  public static WebServer start(ServerConfig.Http http, Parts parts) {
    List<ApiRoute> registered = new ArrayList<>();
    Javalin javalin =
        Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.jetty.host = http.host();
              config.jetty.port = http.port();
              config.http.maxRequestSize = http.maxBodyBytes();
              config.jetty.multipartConfig.maxFileSize(http.maxUploadBytes(), SizeUnit.BYTES);
              config.jetty.multipartConfig.maxTotalRequestSize(
                  http.maxUploadBytes() + 64 * 1024, SizeUnit.BYTES);
              config.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
              config.http.defaultContentType = Requests.JSON;
              config.jsonMapper(new JavalinJackson3(parts.mapper(), false));
              config.requestLogger.http(parts.requestLogger());
              config.routes.beforeMatched(parts.accessCheck());
              ApiErrors.register(config.routes);
              Routes routes = new Routes(config.routes);
              parts.resources().forEach(resource -> resource.register(routes));
              registered.addAll(routes.all());
            });
    javalin.start();
    return new WebServer(javalin, registered);
  }

  /** The port the server listens on (the real one when configured with port 0). */
  public int port() {
    return javalin.port();
  }

  /** Every route served, with its access level. */
  public List<ApiRoute> routes() {
    return routes;
  }

  @Override
  public void close() {
    javalin.stop();
  }
}
