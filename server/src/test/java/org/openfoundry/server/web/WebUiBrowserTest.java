package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;
import org.openfoundry.server.Api;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a real Chromium against the real server (SQLite in a temporary folder) and a fake
 * model endpoint: sign in, register models from the form and from a manifest, start a run from the
 * generated parameter form, follow it to the end, and check what the viewer draws. Screenshots of
 * the main pages land in {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
  static final int WIDTH = 320;
  static final int HEIGHT = 240;
  static final int ROAD_FROM_ROW = 160;

  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static Browser browser;
  private static String detectorId;
  private static String datasetId;
  private static String runId;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.start(WebUiBrowserTest::reply);
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    browser = Browser.start(server.app.port());
    seed();
  }

  @AfterAll
  static void stop() {
    HELD.countDown();
    if (browser != null) {
      browser.close();
    }
    server.close();
    endpoint.close();
  }

  /** Two cars, the road's mask and the weather; a row whose key says "broken" gets a 400. */
  private static final java.util.concurrent.CountDownLatch HELD =
      new java.util.concurrent.CountDownLatch(1);

  private static FakeEndpoint.Reply reply(FakeEndpoint.Recorded request) {
    if (request.body().contains("held-")) {
      return new FakeEndpoint.Reply.Hold(HELD, FakeEndpoint.Reply.json("{\"weather\": \"rainy\"}"));
    }
    if (request.body().contains("\"media_type\":\"TEXT\"")) {
      return FakeEndpoint.Reply.json(
          """
          {"person": [{"start": 0, "end": 3, "text": "Tom"}, {"start": 8, "end": 11, "text": "Bob"}],
           "org": [{"start": 24, "end": 27, "text": "IBM"}],
           "sentiment": "positive"}
          """);
    }
    if (request.body().contains("broken")) {
      return new FakeEndpoint.Reply.Respond(
          400,
          Map.of("Content-Type", "text/plain"),
          "cannot read this image",
          java.time.Duration.ZERO);
    }
    BinaryMask road = new BinaryMask(HEIGHT, WIDTH);
    for (int row = ROAD_FROM_ROW; row < HEIGHT; row++) {
      for (int column = 0; column < WIDTH; column++) {
        road.set(row, column, true);
      }
    }
    String body =
        """
        {"car": {"boxes": [[40, 60, 100, 50], [200, 30, 80, 40]], "scores": [0.92, 0.35]},
         "road": {"masks": [{"size": [%d, %d], "counts": "%s"}], "scores": [0.8]},
         "weather": "sunny"}
        """
            .formatted(HEIGHT, WIDTH, RleMask.of(road).compressed().replace("\\", "\\\\"));
    return new FakeEndpoint.Reply.Respond(
        200, Map.of("Content-Type", "application/json"), body, java.time.Duration.ZERO);
  }

  private static void seed() {
    HttpFixture http = server.http;
    String key = server.memberKey;
    detectorId = Api.registerYaml(http, key, detectorManifest()).get("id").asString();
    datasetId =
        ok(
                http.postJson(
                    "/api/v1/datasets",
                    key,
                    "{\"name\": \"Street scenes\", \"description\": \"Cars and roads\"}"),
                201)
            .get("id")
            .asString();
    HttpResponse<String> uploaded =
        http.send(
            http.request("/api/v1/files", key)
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(streetPng())));
    String file = ok(uploaded, 201).get("row_data").asString();
    StringBuilder rows = new StringBuilder();
    for (String name :
        List.of("street-0001", "street-0002", "street-0003", "street-0004", "broken-0005")) {
      rows.append(
          "{\"row_data\": \"%s\", \"global_key\": \"%s.png\", \"media_type\": \"image\"}\n"
              .formatted(file, name));
    }
    ok(
        http.post(
            "/api/v1/datasets/" + datasetId + "/data-rows",
            key,
            "application/x-ndjson",
            rows.toString()),
        200);
  }

  private static String detectorManifest() {
    return """
        name: Street detector
        inference_endpoint: %s
        secrets: detector-secret-value
        requests_per_second: 50
        description: Finds cars and the road in street scenes
        readme: |
          ### Intended use
          Boxes around **cars**, a mask of the road, and the weather.
          ### Limitations
          Daylight only.
        allowed_asset_types: [image]
        ontology:
          media_type: IMAGE
          tools:
            - {name: car, tool: rectangle}
            - {name: road, tool: raster-segmentation}
          classifications:
            - name: weather
              instructions: weather
              type: radio
              options:
                - {label: sunny, value: sunny, position: 0}
                - {label: rainy, value: rainy, position: 1}
        inference_params_json_schema:
          properties:
            confidence:
              description: Boxes under this score are dropped
              type: number
              default: 0.25
              minimum: 0
              maximum: 1
            max_detections:
              description: At most this many boxes per image
              type: integer
              default: 100
              minimum: 1
              maximum: 1000
            mode:
              description: Speed or accuracy
              type: string
              enum: [fast, accurate]
              default: fast
            use_attachments:
              description: Also read the row's attachments
              type: boolean
              default: false
          required: [confidence]
        """
        .formatted(endpoint.uri());
  }

  /** A small street: sky, a grey road in the bottom third, two cars. */
  static byte[] streetPng() {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x9cc9f0), 0, ROAD_FROM_ROW, new Color(0xe9f2fb)));
    g.fillRect(0, 0, WIDTH, ROAD_FROM_ROW);
    g.setColor(new Color(0x6b8e4e));
    g.fillRect(0, ROAD_FROM_ROW - 30, WIDTH, 30);
    g.setColor(new Color(0x55595e));
    g.fillRect(0, ROAD_FROM_ROW, WIDTH, HEIGHT - ROAD_FROM_ROW);
    g.setColor(Color.WHITE);
    for (int x = 10; x < WIDTH; x += 60) {
      g.fillRect(x, 200, 30, 5);
    }
    g.setColor(new Color(0xc0392b));
    g.fillRoundRect(42, 70, 96, 36, 14, 14);
    g.setColor(new Color(0x2c3e50));
    g.fillOval(55, 98, 18, 18);
    g.fillOval(108, 98, 18, 18);
    g.setColor(new Color(0x2e86c1));
    g.fillRoundRect(205, 38, 70, 28, 10, 10);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  private static WebElement find(String css) {
    return browser.driver.findElement(By.cssSelector(css));
  }

  private static List<WebElement> findAll(String css) {
    return browser.driver.findElements(By.cssSelector(css));
  }

  @Test
  @Order(1)
  void signs_in_with_an_api_key_and_refuses_a_wrong_one() {
    browser.open("/models");
    assertThat(browser.path()).startsWith("/signin");

    find("#api_key").sendKeys("ofk_not-a-key-that-exists-anywhere-000000000");
    find("form.form button[type=submit]").click();
    assertThat(find(".error-box").getText()).contains("not valid");

    browser.screenshot("signin");
    find("#api_key").sendKeys(server.memberKey);
    find("form.form button[type=submit]").click();
    browser.await(driver -> browser.path().equals("/models"));
    assertThat(find(".who").getText()).isEqualTo("member key");
    Object cookies = browser.script("return document.cookie");
    assertThat(cookies.toString())
        .as("the session cookie is HttpOnly")
        .doesNotContain("openfoundry_session");
  }

  @Test
  @Order(2)
  void creates_a_model_through_the_form() {
    browser.open("/models/new");
    new Select(find("#data_type")).selectByValue("image");
    find("#name").sendKeys("Form detector");
    find("#inference_endpoint").sendKeys(endpoint.uri().toString());
    find("#secret").sendKeys("form-secret-value");
    find("#description").sendKeys("Registered through the form");
    browser.screenshot("model-new");
    find("#model-form button[type=submit]").click();

    browser.await(driver -> browser.path().startsWith("/models/mdl_"));
    assertThat(find("#model-name").getText()).isEqualTo("Form detector");
    assertThat(find(".facts").getText())
        .contains("set (write-only)")
        .contains(endpoint.uri().toString());
    assertThat(browser.driver.getPageSource()).doesNotContain("form-secret-value");
  }

  @Test
  @Order(3)
  void refuses_a_taken_name_next_to_the_name_field() {
    browser.open("/models/new");
    find("#name").sendKeys("Form detector");
    find("#inference_endpoint").sendKeys(endpoint.uri().toString());
    find("#model-form button[type=submit]").click();

    WebElement problem =
        browser.await(
            driver ->
                driver.findElement(
                    By.cssSelector("#model-form .error-box, #model-form .field-error")));
    assertThat(problem.getText()).contains("Form detector");
    assertThat(browser.path()).isEqualTo("/models/new");
  }

  @Test
  @Order(4)
  void shows_the_problems_of_a_broken_manifest_at_their_lines() {
    browser.open("/models/new?tab=manifest");
    String yaml =
        String.join(
            "\n",
            "name: Broken detector",
            "inference_endpoint: " + endpoint.uri(),
            "requests_per_second: fast",
            "allowed_asset_types: [image]",
            "");
    browser.script("document.getElementById('manifest-yaml').value = arguments[0]", yaml);
    find("#manifest-form button[type=submit]").click();

    WebElement line =
        browser.await(driver -> driver.findElement(By.cssSelector("li[data-line='3']")));
    assertThat(line.getAttribute("class")).contains("has-problem");
    assertThat(line.getText())
        .contains("requests_per_second: fast")
        .contains("requests_per_second");
    assertThat(find("#manifest-problems").getText()).contains("model.yaml:3:");
    assertThat(find("li[data-line='2']").getAttribute("class")).doesNotContain("has-problem");
    browser.screenshot("manifest-problems");
  }

  @Test
  @Order(5)
  void keeps_a_model_name_and_readme_with_markup_as_text() {
    String name = "<script>window.injected = 1</script> <b>bold</b>";
    String yaml =
        """
        name: '%s'
        inference_endpoint: %s
        readme: |
          Look <img src=x onerror="window.injected = 2"> here
          [click](javascript:window.injected=3)
        """
            .formatted(name, endpoint.uri());
    String id = Api.registerYaml(server.http, server.memberKey, yaml).get("id").asString();

    browser.open("/models");
    WebElement link = find("tr[data-model-id='" + id + "'] a");
    assertThat(link.getText()).isEqualTo(name);
    browser.open("/models/" + id);
    assertThat(find("#model-name").getText()).isEqualTo(name);
    assertThat(find("#readme").getText()).contains("<img src=x onerror=");
    assertThat(findAll("#readme img")).isEmpty();
    assertThat(find("#readme a").getAttribute("href")).doesNotStartWith("javascript:");
    assertThat(browser.script("return window.injected === undefined")).isEqualTo(true);
    assertThat(server.http.delete("/api/v1/models/" + id, server.memberKey).statusCode())
        .isEqualTo(200);
  }

  @Test
  @Order(6)
  void shows_the_models_and_the_dataset_with_thumbnails() {
    browser.open("/models");
    assertThat(find("#models-table").getText())
        .contains("Street detector")
        .contains("50 requests/s");
    browser.screenshot("models");

    browser.open("/datasets/" + datasetId);
    List<WebElement> thumbnails = findAll("#rows img.thumb");
    assertThat(thumbnails).hasSize(5);
    browser.await(
        driver ->
            (Boolean)
                browser.script(
                    "return [...document.querySelectorAll('#rows img')].every(i => i.complete && i.naturalWidth === 320)"));
    browser.screenshot("dataset");
  }

  @Test
  @Order(7)
  void checks_the_parameter_form_in_the_browser_and_again_on_the_server() {
    browser.open("/runs/new?model=" + detectorId + "&dataset=" + datasetId);
    WebElement confidence = find("#param-confidence");
    assertThat(confidence.getAttribute("type")).isEqualTo("number");
    assertThat(confidence.getAttribute("min")).isEqualTo("0");
    assertThat(confidence.getAttribute("max")).isEqualTo("1");
    assertThat(confidence.getAttribute("value")).isEqualTo("0.25");
    assertThat(confidence.getAttribute("required")).isNotNull();
    assertThat(find("#param-max_detections").getAttribute("step")).isEqualTo("1");
    assertThat(new Select(find("#param-mode")).getOptions())
        .extracting(WebElement::getText)
        .contains("fast", "accurate");
    assertThat(find("#param-use_attachments").getAttribute("type")).isEqualTo("checkbox");
    assertThat(find("[data-parameter='confidence'] .help").getText())
        .contains("Boxes under this score are dropped");
    browser.screenshot("run-new");

    confidence.clear();
    confidence.sendKeys("5");
    find("#start-run").click();
    assertThat(
            browser.script(
                "return document.getElementById('param-confidence').validity.rangeOverflow"))
        .isEqualTo(true);
    assertThat(browser.path()).startsWith("/runs/new");

    browser.script("document.getElementById('run-form').noValidate = true");
    find("#start-run").click();
    WebElement error =
        browser.await(
            driver ->
                driver.findElement(By.cssSelector("[data-parameter='confidence'] .field-error")));
    assertThat(error.getText()).contains("1");
    assertThat(browser.path()).startsWith("/runs/new");
  }

  @Test
  @Order(8)
  void starts_a_run_and_follows_its_progress_to_the_end() {
    browser.open("/runs/new?model=" + detectorId + "&dataset=" + datasetId);
    WebElement confidence = find("#param-confidence");
    confidence.clear();
    confidence.sendKeys("0.3");
    new Select(find("#param-mode")).selectByValue("accurate");
    find("#start-run").click();

    browser.await(driver -> browser.path().startsWith("/runs/run_"));
    runId = browser.path().substring("/runs/".length());
    browser.await(driver -> "finished".equals(find("#run").getAttribute("data-followed")));
    assertThat(find("#percent").getText()).isEqualTo("100.0%");
    assertThat(find("#run-state").getText()).isEqualTo("partially succeeded");
    assertThat(find("#count-succeeded").getText()).isEqualTo("4");
    assertThat(find("#count-failed").getText()).isEqualTo("1");
    WebElement failed =
        browser.await(driver -> driver.findElement(By.cssSelector("#failed-table")));
    assertThat(failed.getText()).contains("broken-0005.png").contains("ENDPOINT_HTTP_400");
    assertThat(find("#run .badge, #run-state").getText()).isNotEmpty();
    assertThat(endpoint.requests().getLast().body())
        .contains("\"mode\":\"accurate\"")
        .contains("\"confidence\":0.3");
    browser.screenshot("run");
  }

  @Test
  @Order(9)
  void draws_the_boxes_and_the_mask_where_the_predictions_say() {
    browser.open("/runs/" + runId + "/rows/0");
    browser.await(driver -> "true".equals(find("#viewer").getAttribute("data-ready")));

    List<WebElement> boxes = findAll("g.shape[data-feature='car'] rect");
    assertThat(boxes).hasSize(2);
    assertThat(
            List.of(
                boxes.get(0).getAttribute("x"),
                boxes.get(0).getAttribute("y"),
                boxes.get(0).getAttribute("width"),
                boxes.get(0).getAttribute("height")))
        .containsExactly("40", "60", "100", "50");
    assertThat(find("#overlay").getDomAttribute("viewBox")).isEqualTo("0 0 320 240");
    @SuppressWarnings("unchecked")
    Map<String, Object> placed =
        (Map<String, Object>)
            browser.script(
                "const image = document.getElementById('row-image').getBoundingClientRect();"
                    + "const box = document.querySelector(\"g.shape[data-feature='car'] rect\").getBoundingClientRect();"
                    + "const scale = image.width / 320;"
                    + "return {left: (box.left - image.left) / scale, top: (box.top - image.top) / scale,"
                    + " width: box.width / scale, height: box.height / scale};");
    assertThat(((Number) placed.get("left")).doubleValue())
        .isCloseTo(40, org.assertj.core.data.Offset.offset(1.5));
    assertThat(((Number) placed.get("top")).doubleValue())
        .isCloseTo(60, org.assertj.core.data.Offset.offset(1.5));
    assertThat(((Number) placed.get("width")).doubleValue())
        .isCloseTo(100, org.assertj.core.data.Offset.offset(1.5));

    String alpha =
        "const c = document.querySelector(\"canvas.mask[data-feature='road']\");"
            + "return c.getContext('2d').getImageData(arguments[0], arguments[1], 1, 1).data[3];";
    assertThat(((Number) browser.script(alpha, 10, 200)).intValue())
        .as("on the road")
        .isEqualTo(255);
    assertThat(((Number) browser.script(alpha, 300, ROAD_FROM_ROW)).intValue())
        .as("first road row")
        .isEqualTo(255);
    assertThat(((Number) browser.script(alpha, 10, ROAD_FROM_ROW - 1)).intValue())
        .as("above the road")
        .isZero();
    assertThat(find("#classifications").getText()).contains("weather").contains("sunny");
    browser.screenshot("viewer");

    browser.script(
        "const s = document.getElementById('confidence'); s.value = 0.5; s.dispatchEvent(new Event('input'));");
    assertThat(findAll("g.shape.hidden-by-filter")).hasSize(1);
    assertThat(find("g.shape.hidden-by-filter").getAttribute("data-score")).startsWith("0.35");
    find("[data-toggle-feature='road']").click();
    assertThat(find("canvas.mask").getAttribute("class")).contains("hidden-by-filter");

    find("#raw-response summary").click();
    assertThat(find("#raw-response pre").getText()).contains("\"weather\" : \"sunny\"");

    find("body").sendKeys(Keys.ARROW_RIGHT);
    browser.await(driver -> browser.path().endsWith("/rows/1"));
    find("body").sendKeys(Keys.ARROW_LEFT);
    browser.await(driver -> browser.path().endsWith("/rows/0"));
  }

  @Test
  @Order(10)
  void tests_the_connection_and_shows_the_exchange_with_the_secret_masked() {
    browser.open("/models/" + detectorId);
    assertThat(find("#readme h3").getText()).isEqualTo("Intended use");
    find("#sample-row").sendKeys("https://img.example.com/street.jpg");
    find("#connection-form button[type=submit]").click();

    WebElement outcome = browser.await(driver -> driver.findElement(By.id("connection-outcome")));
    assertThat(outcome.getText()).contains("succeeded").contains("HTTP 200");
    assertThat(find("#connection-request").getText())
        .contains("Bearer ****")
        .contains("street.jpg")
        .doesNotContain("detector-secret-value");
    assertThat(find("#connection-response").getText()).contains("\"weather\": \"sunny\"");
    assertThat(find("#connection-predictions").getText()).contains("Predictions (");
    assertThat(find("#connection-unmapped").getText()).isNotEmpty();
    assertThat(endpoint.requests().getLast().header("Authorization"))
        .isEqualTo("Bearer detector-secret-value");
    browser.screenshot("model");
  }

  @Test
  @Order(11)
  void lists_the_models_with_their_status_rate_limit_and_last_run() {
    browser.open("/models");
    WebElement row = find("tr[data-model-id='" + detectorId + "']");

    assertThat(row.getText())
        .contains("Street detector")
        .contains("ready")
        .contains("v1")
        .contains("50 requests/s")
        .contains("partially succeeded");
    assertThat(find("#models-table").getText()).doesNotContain("<script>");
    browser.screenshot("models");
  }

  @Test
  @Order(12)
  void saves_settings_as_a_new_version_and_refuses_a_bad_rate_limit_at_its_field() {
    browser.open("/models/" + detectorId);
    WebElement rate = find("#requests_per_second");
    rate.clear();
    rate.sendKeys("fast");
    find("#settings-form button[type=submit]").click();

    WebElement error =
        browser.await(driver -> driver.findElement(By.cssSelector("#settings-form .field-error")));
    assertThat(error.getText()).contains("expected").contains("fast");

    rate = find("#requests_per_second");
    rate.clear();
    rate.sendKeys("20");
    find("#new-secret").sendKeys("a-new-detector-secret");
    find("#settings-form button[type=submit]").click();

    browser.await(driver -> browser.path().endsWith("?saved=1"));
    assertThat(find(".notice").getText()).contains("version 2");
    assertThat(find("#versions").getText()).contains("v2").contains("20 requests/s");
    assertThat(browser.driver.getPageSource()).doesNotContain("a-new-detector-secret");
  }

  @Test
  @Order(13)
  void creates_a_dataset_and_imports_rows_and_files_into_it() throws Exception {
    browser.open("/datasets");
    find("#dataset-name").sendKeys("Imported here");
    find("#dataset-form button[type=submit]").click();
    browser.await(driver -> browser.path().startsWith("/datasets/ds_"));

    java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("openfoundry-import");
    java.nio.file.Path rows = folder.resolve("rows.ndjson");
    java.nio.file.Files.writeString(
        rows,
        """
        {"row_data": "Tom and Bob work at IBM.", "global_key": "imported-1", "media_type": "text"}
        {"row_data": "A second row", "global_key": "imported-2", "media_type": "sound"}
        {"row_data": "A third row", "global_key": "imported-3", "media_type": "text"}
        """);
    find("#rows-file").sendKeys(rows.toString());
    find("#import-rows button[type=submit]").click();
    WebElement report = browser.await(driver -> driver.findElement(By.id("import-report")));
    assertThat(report.getText()).contains("2 imported").contains("1 refused").contains("line 2");

    java.nio.file.Path picture = folder.resolve("uploaded-street.png");
    java.nio.file.Files.write(picture, streetPng());
    find("#media-files").sendKeys(picture.toString());
    find("#upload-files button[type=submit]").click();
    browser.await(
        driver -> driver.findElement(By.id("import-report")).getText().contains("1 imported"));

    browser.open(browser.path());
    assertThat(find("#row-count").getText()).isEqualTo("3");
    assertThat(find("#rows").getText()).contains("imported-1").contains("uploaded-street.png");
    browser.await(
        driver ->
            (Boolean)
                browser.script(
                    "return [...document.querySelectorAll('#rows img')].some(i => i.complete && i.naturalWidth === 320)"));
  }

  @Test
  @Order(14)
  void highlights_the_entities_of_a_text_row() {
    String manifest =
        """
        name: Entity finder
        inference_endpoint: %s
        allowed_asset_types: [text]
        ontology:
          media_type: TEXT
          tools:
            - {name: person, tool: named-entity}
            - {name: org, tool: named-entity}
          classifications:
            - name: sentiment
              instructions: sentiment
              type: radio
              options:
                - {label: positive, value: positive, position: 0}
                - {label: negative, value: negative, position: 1}
        """
            .formatted(endpoint.uri());
    String model = Api.registerYaml(server.http, server.memberKey, manifest).get("id").asString();
    String run =
        ok(
                server.http.postJson(
                    "/api/v1/runs",
                    server.memberKey,
                    "{\"model_id\": \"%s\", \"global_keys\": [\"imported-1\"]}".formatted(model)),
                202)
            .get("id")
            .asString();
    browser.open("/runs/" + run);
    browser.await(driver -> "finished".equals(find("#run").getAttribute("data-followed")));
    find("#open-viewer").click();

    List<WebElement> marks =
        browser.await(driver -> driver.findElements(By.cssSelector("#row-text mark.entity")));
    assertThat(marks)
        .extracting(mark -> mark.getAttribute("data-feature"))
        .containsExactly("person", "person", "org");
    assertThat(marks.getFirst().getText()).startsWith("Tom");
    assertThat(find("#row-text").getText()).contains("work at");
    assertThat(find("#classifications").getText()).contains("sentiment").contains("positive");
    browser.screenshot("viewer-text");
  }

  @Test
  @Order(15)
  void pauses_resumes_and_cancels_a_run_from_its_page() {
    // No rate limit: the test's clock stands still, so a limited model would wait for ever.
    String heldModel =
        Api.registerYaml(
                server.http,
                server.memberKey,
                "name: Slow model\ninference_endpoint: " + endpoint.uri() + "\n")
            .get("id")
            .asString();
    String dataset = Api.dataset(server.http, server.memberKey, "Held rows");
    StringBuilder rows = new StringBuilder();
    for (int index = 1; index <= 12; index++) {
      rows.append(
          "{\"row_data\": \"https://img.example.com/held-%d.jpg\", \"global_key\": \"held-%d\", \"media_type\": \"image\"}\n"
              .formatted(index, index));
    }
    Api.importRows(server.http, server.memberKey, dataset, rows.toString());
    String run = Api.run(server.http, server.memberKey, heldModel, dataset);

    browser.open("/runs/" + run);
    browser.await(driver -> Integer.parseInt(find("#count-leased").getText()) > 0);
    assertThat(find("#run").getAttribute("data-state")).isEqualTo("RUNNING");
    assertThat(find("[data-action='resume']").isDisplayed()).isFalse();

    find("[data-action='pause']").click();
    browser.await(driver -> find("#run-state").getText().equals("paused"));
    assertThat(find("[data-action='pause']").isDisplayed()).isFalse();
    find("[data-action='resume']").click();
    browser.await(driver -> find("#run-state").getText().equals("running"));

    browser.script("window.confirm = () => true");
    find("[data-action='cancel']").click();
    browser.await(driver -> find("#run-state").getText().equals("cancelled"));
    HELD.countDown();
    browser.await(driver -> Integer.parseInt(find("#count-cancelled").getText()) > 0);
    assertThat(find("[data-action='cancel']").isDisplayed()).isFalse();
  }
}
