package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownTest {
  private final Markdown markdown = new Markdown();

  @Test
  void renders_headings_emphasis_and_lists() {
    assertThat(markdown.toHtml("### Intended use\nBoxes around **cars**.\n\n- one\n- two\n"))
        .contains("<h3>Intended use</h3>")
        .contains("<strong>cars</strong>")
        .contains("<li>one</li>");
  }

  @Test
  void shows_raw_html_as_text() {
    String html =
        markdown.toHtml("Look <img src=x onerror=alert(1)> here\n\n<script>alert(2)</script>\n");

    assertThat(html).doesNotContain("<img").doesNotContain("<script");
    assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;script&gt;");
  }

  @Test
  void makes_script_links_harmless() {
    assertThat(markdown.toHtml("[click](javascript:alert(1))")).doesNotContain("javascript:");
  }
}
