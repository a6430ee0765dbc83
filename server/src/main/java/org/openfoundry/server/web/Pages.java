package org.openfoundry.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders the precompiled templates, and sets the headers every page carries: a strict content
 * security policy (no inline script or style, nothing from other origins but images), no framing,
 * no caching of pages that show private data.
 */
final class Pages {
  static final String POLICY =
      "default-src 'self'; img-src 'self' data: blob: http: https:; style-src 'self';"
          + " script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, Pages.class.getClassLoader(), Pages.class.getPackageName());

  /** The template's HTML for its one parameter. */
  String render(String template, Object model) {
    StringOutput output = new StringOutput();
    engine.render(template, model, output);
    return output.toString();
  }

  /** Answers the request with the rendered page. */
  void send(Context ctx, String template, Object model) {
    secure(ctx);
    ctx.html(render(template, model));
  }

  static void secure(Context ctx) {
    ctx.header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "same-origin")
        .header("Cache-Control", "no-store");
  }
}
