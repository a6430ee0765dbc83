package org.openfoundry.server;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One registered route: its method, its path template ({@code /api/v1/models/{id}}), its access.
 */
public record ApiRoute(String method, String path, Access access) {
  public ApiRoute {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(access, "access is null");
    method = method.toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
