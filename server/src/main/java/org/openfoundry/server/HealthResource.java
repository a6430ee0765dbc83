package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/health}, the one route that needs no key: 200 when every check passes (the
 * database answers), 503 naming the failing check otherwise.
 */
public final class HealthResource implements Resource {
  private static final Logger log = LoggerFactory.getLogger(HealthResource.class);

  /** Something the server needs to be healthy, such as its database. */
  public interface Check {
    String name();

    /** Returns normally when healthy; throws with the reason otherwise. */
    void run() throws Exception;
  }

  private final String role;
  private final List<Check> checks;

  public HealthResource(String role, List<Check> checks) {
    this.role = requireNonNull(role, "role is null");
    this.checks = List.copyOf(checks);
  }

  @Override
  public void register(Routes routes) {
    routes.get("/api/v1/health", Access.PUBLIC, this::health);
  }

  private void health(Context ctx) {
    Map<String, String> results = new LinkedHashMap<>();
    boolean healthy = true;
    for (Check check : checks) {
      try {
        check.run();
        results.put(check.name(), "ok");
      } catch (Exception failure) {
        log.warn("health check {} failed", check.name(), failure);
        results.put(check.name(), "failing");
        healthy = false;
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "ok" : "failing");
    body.put("role", role);
    body.put("checks", results);
    ctx.status(healthy ? 200 : 503).json(body);
  }
}
