package org.openfoundry.server;

import io.javalin.security.RouteRole;

/**
 * Who may call a route: anyone ({@link #PUBLIC}), a key that may read metrics, any member key, or
 * only an admin key. An admin key may call everything; a member key everything but {@link #ADMIN}
 * routes; a metrics key only {@link #METRICS} routes.
 */
public enum Access implements RouteRole {
  PUBLIC,
  METRICS,
  MEMBER,
  ADMIN
}
