package org.openfoundry.server.web;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders a model's readme. Readmes are written by whoever registers a model, so raw HTML in them
 * is shown as text, and links that could run script are made harmless.
 */
final class Markdown {
  private final Parser parser = Parser.builder().build();
  private final HtmlRenderer renderer =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  String toHtml(String markdown) {
    return renderer.render(parser.parse(markdown));
  }
}
