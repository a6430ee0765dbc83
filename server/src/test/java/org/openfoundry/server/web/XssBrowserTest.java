package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.server.Api;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;
import org.openqa.selenium.By;

/**
 * Cross-site scripting through what others write: a model whose name, description and readme carry
 * markup and script, a dataset and rows named likewise, and a model whose answers hold script. A
 * real Chromium visits every page that shows them; each payload would set {@code window.__xss}, and
 * the test checks that it stays undefined, that no element of the page came from a payload, and
 * that the text is shown as written.
 */
class XssBrowserTest {
  private static final String NAME = "<img src=x onerror=\"window.__xss='name'\">";
  private static final String SCRIPT = "<script>window.__xss='response'</script>";

  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static Browser browser;
  private static String model;
  private static String dataset;
  private static String run;

  @BeforeAll
  static void start() {
    endpoint =
        FakeEndpoint.answering(
            FakeEndpoint.Reply.json(
                "{\"label\": \"tench\", \"summary\": \""
                    + SCRIPT.replace("\"", "\\\"")
                    + " <img src=x onerror=\\\"window.__xss='summary'\\\">\","
                    + " \"cat\": {\"boxes\": [[1, 1, 5, 5]], \"scores\": [0.9]}}"));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    browser = Browser.start(server.app.port());
    seed(server.http, server.memberKey);
    signIn();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
    endpoint.close();
  }

  private static String manifest() {
    return """
        name: "%s"
        inference_endpoint: %s
        description: "<svg onload=\\"window.__xss='description'\\"></svg>"
        readme: |
          # Readme <script>window.__xss='readme'</script>
          <img src=x onerror="window.__xss='readme-img'">
          [click me](javascript:window.__xss='link')
          [data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9J2RhdGEnPC9zY3JpcHQ+)
          <a href="javascript:window.__xss='raw-link'">raw link</a>
        allowed_asset_types: [image]
        ontology:
          media_type: IMAGE
          tools:
            - {name: cat, tool: rectangle}
          classifications:
            - name: summary
              instructions: summary
              type: text
            - name: label
              instructions: label
              type: radio
              options:
                - {label: tench, value: tench}
        """
        .formatted(NAME.replace("\"", "\\\""), endpoint.uri());
  }

  private static void seed(HttpFixture http, String key) {
    model = Api.registerYaml(http, key, manifest()).get("id").asString();
    dataset =
        ok(
                http.postJson(
                    "/api/v1/datasets",
                    key,
                    "{\"name\": \"<b onmouseover=\\\"window.__xss='dataset'\\\">rows</b>\","
                        + " \"description\": \"<iframe src=javascript:window.__xss=1>\"}"),
                201)
            .get("id")
            .asString();
    Api.importRows(
        http,
        key,
        dataset,
        "{\"row_data\": \"https://img.example.com/a.jpg\", \"global_key\":"
            + " \"<img src=x onerror=\\\"window.__xss='key'\\\">\", \"media_type\": \"image\"}\n");
    run = Api.run(http, key, model, dataset);
    // The event stream ends when the run has finished.
    http.get("/api/v1/runs/" + run + "/events", key);
    assertThat(ok(http.get("/api/v1/runs/" + run, key), 200).get("state").asString())
        .isEqualTo("SUCCEEDED");
  }

  private static void signIn() {
    browser.open("/signin");
    browser.driver.findElement(By.id("api_key")).sendKeys(server.memberKey);
    browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.await(driver -> browser.path().equals("/models"));
  }

  @Test
  void no_payload_runs_or_becomes_markup_on_any_page_that_shows_it() {
    List<String> pages =
        List.of(
            "/models",
            "/models/" + model,
            "/datasets",
            "/datasets/" + dataset,
            "/runs",
            "/runs/new",
            "/runs/" + run,
            "/runs/" + run + "/rows/0");
    for (String page : pages) {
      browser.open(page);
      browser.await(driver -> browser.script("return document.readyState").equals("complete"));

      assertThat(browser.script("return typeof window.__xss")).as(page).isEqualTo("undefined");
      assertThat(payloadElements()).as(page).isEmpty();
    }

    browser.script("document.body.insertAdjacentHTML('beforeend', arguments[0])", NAME);
    assertThat(payloadElements()).as("the check finds a payload made into markup").hasSize(1);
  }

  @Test
  void the_model_page_shows_the_name_and_readme_as_text_and_drops_script_links() {
    browser.open("/models/" + model);
    String text = browser.driver.findElement(By.tagName("body")).getText();

    assertThat(text).contains(NAME).contains("<script>window.__xss='readme'</script>");
    assertThat(browser.script("return document.querySelectorAll('script:not([src])').length"))
        .isEqualTo(0L);
    assertThat(
            browser.script(
                "return [...document.querySelectorAll('a[href]')]"
                    + ".map(a => a.getAttribute('href').trim().toLowerCase())"
                    + ".filter(h => h.startsWith('javascript:') || h.startsWith('data:')).length"))
        .isEqualTo(0L);
    assertThat(browser.script("return typeof window.__xss")).isEqualTo("undefined");
  }

  @Test
  void the_row_page_shows_the_answer_with_its_script_as_text() {
    browser.open("/runs/" + run + "/rows/0");
    String text = browser.driver.findElement(By.tagName("body")).getText();

    assertThat(text).contains(SCRIPT);
    assertThat(browser.script("return typeof window.__xss")).isEqualTo("undefined");
  }

  /**
   * Elements that only a payload would have made: an image with {@code src=x}, an element with an
   * event handler or a script mentioning the flag, an iframe or an svg from a description.
   */
  private static List<?> payloadElements() {
    return (List<?>)
        browser.script(
            "return [...document.querySelectorAll('*')].filter(e =>"
                + " (e.tagName === 'IMG' && e.getAttribute('src') === 'x')"
                + " || e.tagName === 'IFRAME'"
                + " || (e.tagName === 'SCRIPT' && e.textContent.includes('__xss'))"
                + " || [...e.attributes].some(a => a.name.startsWith('on')"
                + " && a.value.includes('__xss'))).map(e => e.outerHTML)");
  }
}
