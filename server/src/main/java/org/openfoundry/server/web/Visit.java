package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import org.openfoundry.apikeys.ApiKey;

/** One signed-in request to a page: the request, its session and the key it acts with. */
record Visit(Context ctx, Sessions.Session session, ApiKey key) {
  Visit {
    requireNonNull(ctx, "ctx is null");
    requireNonNull(session, "session is null");
    requireNonNull(key, "key is null");
  }

  /** The frame of a page in {@code section} (models, datasets, runs) titled {@code title}. */
  Chrome chrome(String title, String section) {
    return new Chrome(title, section, session.csrfToken(), key.name());
  }

  /** Whether htmx sent the request (it then wants a fragment, and follows HX-Redirect). */
  boolean fromHtmx() {
    return "true".equals(ctx.header("HX-Request"));
  }

  /** Sends the browser to {@code path}, the way htmx or a plain form expects. */
  void redirect(String path) {
    if (fromHtmx()) {
      ctx.header("HX-Redirect", path).status(204);
      return;
    }
    ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
  }
}
