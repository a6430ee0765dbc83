package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Registers routes with their access level and remembers them, so that the OpenAPI document can be
 * checked against what is really served and every route can be probed for authentication.
 */
public final class Routes {
  private final RoutesConfig javalin;
  private final List<ApiRoute> registered = new ArrayList<>();

  Routes(RoutesConfig javalin) {
    this.javalin = requireNonNull(javalin, "javalin is null");
  }

  public void get(String path, Access access, Handler handler) {
    add(HandlerType.GET, path, access, handler);
  }

  public void post(String path, Access access, Handler handler) {
    add(HandlerType.POST, path, access, handler);
  }

  public void put(String path, Access access, Handler handler) {
    add(HandlerType.PUT, path, access, handler);
  }

  public void delete(String path, Access access, Handler handler) {
    add(HandlerType.DELETE, path, access, handler);
  }

  /** A GET route that answers with server-sent events. */
  public void sse(String path, Access access, Consumer<SseClient> client) {
    javalin.sse(path, client, access);
    registered.add(new ApiRoute("GET", path, access));
  }

  /**
   * A route of the web UI. It is not part of the API (the OpenAPI document does not list it), and
   * the key check lets it through: the UI checks its own session and CSRF token.
   */
  public void page(HandlerType method, String path, Handler handler) {
    javalin.addHttpHandler(method, path, handler, Access.PUBLIC);
  }

  /** Every route registered so far, in registration order. */
  public List<ApiRoute> all() {
    return List.copyOf(registered);
  }

  private void add(HandlerType method, String path, Access access, Handler handler) {
    javalin.addHttpHandler(method, path, handler, access);
    registered.add(new ApiRoute(method.name(), path, access));
  }
}
