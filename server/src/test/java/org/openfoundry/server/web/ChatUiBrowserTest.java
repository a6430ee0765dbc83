package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chat pages in a real Chromium against the real server and fake model endpoints (real HTTP
 * servers on port 0): a multi-turn conversation, images picked and dropped, a model's error, markup
 * in an answer kept as text, and side by side with a judgment that shows in the win rates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatUiBrowserTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String MARKUP =
      "<script>window.injected = 1</script><img src=x onerror=\"window.injected = 2\"><b>bold</b>";
  private static final CountDownLatch BETA_HELD = new CountDownLatch(1);
  private static final CountDownLatch NEVER = new CountDownLatch(1);

  private static FakeEndpoint echo;
  private static FakeEndpoint alphaEndpoint;
  private static FakeEndpoint betaEndpoint;
  private static FakeEndpoint sleepy;
  private static AppFixture server;
  private static Browser browser;
  private static String echoId;
  private static String alphaId;
  private static String betaId;
  private static String sleepyId;

  @BeforeAll
  static void start() {
    echo = FakeEndpoint.start(ChatUiBrowserTest::echoReply);
    alphaEndpoint = FakeEndpoint.start(request -> answer("Red, like a fire engine."));
    betaEndpoint =
        FakeEndpoint.start(
            request ->
                request.index() == 0
                    ? new FakeEndpoint.Reply.Hold(BETA_HELD, answer("Blue, like the sea."))
                    : answer("Blue again."));
    sleepy = FakeEndpoint.answering(new FakeEndpoint.Reply.Hold(NEVER, answer("Too late.")));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    echoId = register("Vision chat", echo, schema());
    alphaId = register("Alpha", alphaEndpoint, "");
    betaId = register("Beta", betaEndpoint, "");
    sleepyId = register("Sleepy", sleepy, "max_attempts: 1\ntimeouts:\n  read: 1s\n");
    browser = Browser.start(server.app.port());
    browser.open("/signin");
    find("#api_key").sendKeys(server.memberKey);
    find("form.form button[type=submit]").click();
    browser.await(driver -> browser.path().equals("/models"));
  }

  @AfterAll
  static void stop() {
    BETA_HELD.countDown();
    NEVER.countDown();
    if (browser != null) {
      browser.close();
    }
    server.close();
    echo.close();
    alphaEndpoint.close();
    betaEndpoint.close();
    sleepy.close();
  }

  /**
   * Says how many messages it was sent and what the last one said; fails on "fail", answers markup
   * on "markup", and reports the images of the last message.
   */
  private static FakeEndpoint.Reply echoReply(FakeEndpoint.Recorded request) {
    JsonNode prompt = HttpFixture.json(request.body()).get("prompt");
    JsonNode last = prompt.get(prompt.size() - 1);
    StringBuilder text = new StringBuilder();
    int images = 0;
    for (JsonNode part : last.get("parts")) {
      if (part.has("text")) {
        text.append(part.get("text").asString());
      }
      if (part.has("image")) {
        images++;
      }
    }
    if (text.toString().contains("fail")) {
      return new FakeEndpoint.Reply.Respond(
          500, Map.of("Content-Type", "text/plain"), "the model fell over", Duration.ZERO);
    }
    if (text.toString().contains("garbage")) {
      return new FakeEndpoint.Reply.Respond(
          200, Map.of("Content-Type", "application/json"), "{\"text\": ", Duration.ZERO);
    }
    if (text.toString().contains("markup")) {
      return answer(MARKUP);
    }
    return answer(
        "Heard " + prompt.size() + " messages; the last said: " + text + "; images: " + images);
  }

  private static FakeEndpoint.Reply answer(String text) {
    ObjectNode body = JSON.createObjectNode().put("text", text);
    body.putObject("usage").put("prompt_tokens", 12).put("completion_tokens", 7);
    return new FakeEndpoint.Reply.Respond(
        200, Map.of("Content-Type", "application/json"), body.toString(), Duration.ZERO);
  }

  private static String schema() {
    return """
        max_attempts: 1
        inference_params_json_schema:
          properties:
            temperature:
              description: Higher is more varied
              type: number
              default: 0.5
              minimum: 0
              maximum: 2
            style:
              type: string
              enum: [plain, fancy]
              default: plain
        """;
  }

  private static String register(String name, FakeEndpoint endpoint, String more) {
    String yaml =
        "name: '"
            + name.replace("'", "''")
            + "'\ninference_endpoint: "
            + endpoint.uri()
            + "\n"
            + more
            + "\n";
    HttpResponse<String> created =
        server.http.post("/api/v1/models", server.memberKey, "application/yaml", yaml);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return HttpFixture.json(created).get("id").asString();
  }

  private static WebElement find(String css) {
    return browser.driver.findElement(By.cssSelector(css));
  }

  private static List<WebElement> findAll(String css) {
    return browser.driver.findElements(By.cssSelector(css));
  }

  private static void send(String message) {
    WebElement box = find("#message");
    box.clear();
    box.sendKeys(message);
    find("#send").click();
  }

  /** Waits for the n-th (from 1) assistant turn to end, and answers it. */
  private static WebElement reply(int number) {
    return browser.await(
        driver -> {
          List<WebElement> replies =
              driver.findElements(By.cssSelector("#conversation .turn.assistant:not(.pending)"));
          return replies.size() >= number ? replies.get(number - 1) : null;
        });
  }

  private static void dropFile(String name, String type, byte[] content) {
    browser.script(
        """
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], arguments[1], {type: arguments[2]}));
        const target = document.getElementById('composer');
        for (const kind of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(kind, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }
        """,
        Base64.getEncoder().encodeToString(content),
        name,
        type);
  }

  @Test
  @Order(1)
  void reaches_the_playground_from_the_navigation_and_from_the_model_page() {
    browser.open("/models/" + echoId);
    find("#open-chat").click();
    browser.await(driver -> browser.path().equals("/models/" + echoId + "/chat"));
    assertThat(find("#chat-title").getText()).isEqualTo("Vision chat");

    find("nav[aria-label='Main'] a[href='/chat']").click();
    browser.await(driver -> browser.path().equals("/chat"));
    assertThat(find("#chat-models").getText()).contains("Vision chat").contains("Alpha");
    find("tr[data-model-id='" + echoId + "'] a").click();
    browser.await(driver -> browser.path().equals("/models/" + echoId + "/chat"));
    assertThat(find("[data-parameter='temperature'] input").getAttribute("value")).isEqualTo("0.5");
  }

  @Test
  @Order(2)
  void keeps_the_history_across_turns_and_sends_the_system_prompt_and_parameters()
      throws Exception {
    browser.open("/models/" + echoId + "/chat");
    find("#system-prompt").sendKeys("Answer briefly.");
    WebElement temperature = find("[data-parameter='temperature'] input");
    temperature.clear();
    temperature.sendKeys("1.5");
    find("[data-parameter='style'] select option[value='fancy']").click();

    send("Hello there");
    assertThat(reply(1).findElement(By.cssSelector(".answer-text")).getText())
        .isEqualTo("Heard 2 messages; the last said: Hello there; images: 0");
    assertThat(reply(1).findElement(By.cssSelector(".answer-meta")).getText())
        .contains("v1")
        .contains(" ms")
        .contains("12 in · 7 out · 19 tokens")
        .contains("1 attempt");
    send("And again");
    assertThat(reply(2).findElement(By.cssSelector(".answer-text")).getText())
        .isEqualTo("Heard 4 messages; the last said: And again; images: 0");

    JsonNode second = HttpFixture.json(echo.requests().getLast().body());
    assertThat(second.get("prompt"))
        .extracting(message -> message.get("role").asString())
        .containsExactly("system", "user", "assistant", "user");
    assertThat(second.at("/prompt/0/parts/0/text").asString()).isEqualTo("Answer briefly.");
    assertThat(second.at("/prompt/2/parts/0/text").asString()).startsWith("Heard 2 messages");
    assertThat(second.at("/inference_params/temperature").asDouble()).isEqualTo(1.5);
    assertThat(second.at("/inference_params/style").asString()).isEqualTo("fancy");

    find("details.raw summary").click();
    assertThat(find("details.raw pre").getText()).contains("\"prompt_tokens\": 12");
    browser.screenshot("chat");
  }

  @Test
  @Order(3)
  void sends_images_dropped_on_the_composer_or_picked_as_base64_parts_with_their_type()
      throws Exception {
    browser.open("/models/" + echoId + "/chat");
    byte[] png = WebUiBrowserTest.streetPng();
    dropFile("dropped.png", "image/png", png);
    browser.await(driver -> findAll("#attachments li").size() == 1);
    Path folder = Files.createTempDirectory("openfoundry-chat");
    Path picked = folder.resolve("picked.png");
    Files.write(picked, png);
    find("#image-input").sendKeys(picked.toString());
    browser.await(driver -> findAll("#attachments li").size() == 2);
    assertThat(findAll("#attachments img"))
        .extracting(image -> image.getAttribute("alt"))
        .containsExactly("dropped.png", "picked.png");

    find("#attachments li[data-name='picked.png'] .remove").click();
    browser.await(driver -> findAll("#attachments li").size() == 1);
    find("#image-input").sendKeys(picked.toString());
    browser.await(driver -> findAll("#attachments li").size() == 2);
    find("#message").sendKeys("What is in these?");
    browser.screenshot("chat-images");
    find("#send").click();

    assertThat(reply(1).findElement(By.cssSelector(".answer-text")).getText())
        .endsWith("images: 2");
    assertThat(findAll("#conversation .turn.user .thumbs img")).hasSize(2);
    assertThat(findAll("#attachments li")).isEmpty();
    JsonNode parts = HttpFixture.json(echo.requests().getLast().body()).at("/prompt/0/parts");
    assertThat(parts.get(1).get("image").asString())
        .isEqualTo(Base64.getEncoder().encodeToString(png));
    assertThat(parts.get(1).get("media_type").asString()).isEqualTo("image/png");
  }

  @Test
  @Order(4)
  void refuses_an_image_too_large_or_of_another_type_with_a_clear_message() {
    browser.open("/models/" + echoId + "/chat");
    dropFile("huge.png", "image/png", new byte[6 * 1024 * 1024]);
    WebElement error = browser.await(driver -> find("#composer-error"));
    browser.await(driver -> error.isDisplayed());
    assertThat(error.getText()).contains("huge.png is 6.0 MiB").contains("at most 5.0 MiB");

    dropFile("notes.txt", "text/plain", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    browser.await(driver -> error.getText().contains("notes.txt"));
    assertThat(error.getText()).contains("PNG, JPEG, GIF or WebP");
    assertThat(findAll("#attachments li")).isEmpty();

    // Within the page's limits, but past this server's request body limit.
    dropFile("large.png", "image/png", new byte[2 * AppFixture.MAX_BODY]);
    browser.await(driver -> findAll("#attachments li").size() == 1);
    send("Too much?");
    assertThat(reply(1).getText())
        .contains("The conversation is too large")
        .contains("PAYLOAD_TOO_LARGE")
        .contains("HTTP 413");
    assertThat(findAll("#attachments li")).as("the image is back in the composer").hasSize(1);
  }

  @Test
  @Order(5)
  void shows_a_failing_model_in_the_conversation_and_gives_the_message_back() {
    browser.open("/models/" + echoId + "/chat");
    send("please fail now");

    WebElement failed = reply(1);
    assertThat(failed.getAttribute("class")).contains("failed");
    assertThat(failed.getText())
        .contains("The model's endpoint failed")
        .contains("ADAPTER_ENDPOINT_FAILED")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(find("#message").getAttribute("value")).isEqualTo("please fail now");

    send("Here is garbage");
    assertThat(reply(2).getText())
        .contains("The model's answer could not be read")
        .contains("ADAPTER_RESPONSE_INVALID");

    send("Still there?");
    assertThat(reply(3).findElement(By.cssSelector(".answer-text")).getText())
        .as("the failed turns are not in the history")
        .startsWith("Heard 1 messages");
  }

  @Test
  @Order(6)
  void shows_a_model_that_times_out_as_a_timeout() {
    browser.open("/models/" + sleepyId + "/chat");
    send("Are you awake?");

    assertThat(reply(1).getText())
        .contains("The model took too long to answer")
        .contains("ADAPTER_TIMEOUT")
        .contains("HTTP 504");
  }

  @Test
  @Order(7)
  void checks_the_parameters_in_the_browser_and_shows_the_server_s_refusal_at_the_field() {
    browser.open("/models/" + echoId + "/chat");
    WebElement temperature = find("[data-parameter='temperature'] input");
    temperature.clear();
    temperature.sendKeys("5");
    send("Hot?");
    assertThat(find("#composer-error").getText()).contains("temperature");
    assertThat(findAll("#conversation .turn")).isEmpty();

    browser.script("document.querySelector(\"[data-parameter='temperature'] input\").max = ''");
    find("#send").click();
    WebElement error =
        browser.await(
            driver ->
                driver.findElement(By.cssSelector("[data-parameter='temperature'] .field-error")));
    assertThat(error.getText()).contains("2");
    assertThat(reply(1).getText()).contains("INVALID_PARAMETERS");
  }

  @Test
  @Order(8)
  void shows_markup_in_an_answer_and_in_a_model_name_as_text() {
    String name = "<img src=x onerror='window.injected = 3'><b>Bold</b>";
    String marked = register(name, echo, "");
    browser.open("/chat");
    assertThat(find("tr[data-model-id='" + marked + "'] a").getText()).isEqualTo(name);
    browser.open("/models/" + marked + "/chat");
    assertThat(find("#chat-title").getText()).isEqualTo(name);
    send("show me markup");

    WebElement text = reply(1).findElement(By.cssSelector(".answer-text"));
    assertThat(text.getText()).isEqualTo(MARKUP);
    assertThat(text.findElements(By.cssSelector("*"))).isEmpty();
    assertThat(reply(1).findElement(By.cssSelector(".answer-meta")).getText())
        .startsWith(name + " v1");
    assertThat(findAll("main img[src='x']")).isEmpty();
    assertThat(browser.script("return window.injected === undefined")).isEqualTo(true);
    assertThat(server.http.delete("/api/v1/models/" + marked, server.memberKey).statusCode())
        .isEqualTo(200);

    browser.open("/models/" + marked + "/chat");
    assertThat(find(".chat-panel .notice").getText()).contains("archived");
    assertThat(findAll("#composer")).isEmpty();
  }

  @Test
  @Order(9)
  void compares_two_models_shows_answers_as_they_come_and_stores_a_judgment() {
    browser.open("/chat/compare?model=" + alphaId + "&model=" + betaId);
    find("#global-key").sendKeys("colours-ui-1");
    send("Name a colour.");

    WebElement alpha =
        browser.await(
            driver ->
                driver.findElement(
                    By.cssSelector(".column.answered[data-model-id='" + alphaId + "']")));
    assertThat(alpha.getText()).contains("Red, like a fire engine.");
    assertThat(find(".column[data-model-id='" + betaId + "']").getAttribute("class"))
        .as("beta is still being waited for")
        .contains("pending");
    BETA_HELD.countDown();
    browser.await(driver -> !findAll(".round .judge").isEmpty());
    assertThat(find(".column[data-model-id='" + betaId + "']").getText())
        .contains("Blue, like the sea.");

    find(".column[data-model-id='" + betaId + "'] .judge-single input").click();
    find(".judge button").click();
    browser.await(driver -> find(".judge-status").getText().contains("Saved"));
    find(".judge-kinds input[value='multi_selection']").click();
    find(".column[data-model-id='" + alphaId + "'] .judge-multi input").click();
    find(".column[data-model-id='" + betaId + "'] .judge-multi input").click();
    find(".judge button").click();
    browser.await(driver -> find(".judge-status").getText().contains("mark every good one"));
    find(".judge-kinds input[value='single_selection']").click();
    browser.screenshot("compare");

    send("Why that one?");
    browser.await(driver -> findAll(".round .judge").size() == 2);
    JsonNode second = HttpFixture.json(alphaEndpoint.requests().getLast().body());
    assertThat(second.at("/prompt/1/parts/0/text").asString())
        .as("the next turn follows the answer picked")
        .isEqualTo("Blue, like the sea.");
    WebElement round = find(".round[data-round='2']");
    round.findElement(By.cssSelector(".judge-kinds input[value='ranking']")).click();
    new Select(round.findElement(By.cssSelector(".column[data-model-id='" + betaId + "'] select")))
        .selectByValue("1");
    new Select(round.findElement(By.cssSelector(".column[data-model-id='" + alphaId + "'] select")))
        .selectByValue("2");
    round.findElement(By.cssSelector(".judge button")).click();
    browser.await(
        driver -> round.findElement(By.cssSelector(".judge-status")).getText().contains("Saved"));

    JsonNode report =
        HttpFixture.json(
            server.http.get("/api/v1/chat/comparisons/export?format=report", server.memberKey));
    assertThat(report.get("judgments").asInt()).isEqualTo(3);
    assertThat(report.at("/models/0/model_name").asString()).isEqualTo("Beta");
    assertThat(report.at("/models/0/wins").asInt()).isEqualTo(3);
    assertThat(report.at("/models/1/wins").asInt()).as("alpha, one of the good ones").isEqualTo(1);
    assertThat(report.at("/models/0/mean_rank").asDouble()).isEqualTo(1.0);

    find("#to-comparisons").click();
    WebElement beta =
        browser.await(
            driver ->
                driver.findElement(
                    By.cssSelector("#win-rates tr[data-model-id='" + betaId + "']")));
    assertThat(beta.getText()).contains("Beta").contains("100.0%");
    assertThat(find("#win-rates tr[data-model-id='" + alphaId + "']").getText()).contains("33.3%");
    assertThat(find("#comparisons-table").getText())
        .contains("colours-ui-1")
        .contains("2: single selection, multi selection")
        .contains("1: ranking");
    assertThat(find("#export-ndjson").getAttribute("href"))
        .endsWith("/api/v1/chat/comparisons/export?format=ndjson");
    browser.screenshot("comparisons");
  }

  @Test
  @Order(10)
  void refuses_a_comparison_of_one_model_before_sending_anything() {
    browser.open("/chat/compare?model=" + alphaId);
    int calls = alphaEndpoint.requests().size();
    send("Alone?");
    assertThat(find("#composer-error").getText())
        .contains("Pick two to ten models to compare; 1 picked");
    assertThat(alphaEndpoint.requests()).hasSize(calls);
  }
}
