package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.server.web.WebSession;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Registers models with recognisable secrets, takes every path that touches them, failures
 * included, against an endpoint that echoes its Authorization header back (as is and in base64),
 * and then searches everything the server said for the secrets: API answers, exports, event
 * streams, metrics, the OpenAPI document, the web UI's pages, its console and its log at DEBUG.
 */
class SecretsSweepTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String YAML_SECRET = secret("yaml");
  private static final String FORM_SECRET = secret("form");
  private static final String NEW_SECRET = secret("new");
  private static final String UI_SECRET = secret("ui");
  private static final String MASTER_KEY = base64(randomBytes(32));
  private static final String SIGNING_KEY = secret("signing") + "-" + secret("long");

  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static final Logger ROOT = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private static final Logger OURS = (Logger) LoggerFactory.getLogger("org.openfoundry");

  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static HttpFixture http;
  private static String key;
  private static Level oursBefore;
  private static final StringBuilder said = new StringBuilder();

  private static String secret(String where) {
    return "sk-SWEEP-" + where + "-" + HexFormat.of().formatHex(randomBytes(12));
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String base64(String text) {
    return base64(text.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void start() {
    LOG.start();
    ROOT.addAppender(LOG);
    oursBefore = OURS.getLevel();
    OURS.setLevel(Level.DEBUG);
    endpoint = FakeEndpoint.start(SecretsSweepTest::echo);
    server =
        new AppFixture(
            Map.of(
                "FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8",
                "FOUNDRY_MASTER_KEY", MASTER_KEY,
                "FOUNDRY_FILES_SIGNING_KEY", SIGNING_KEY));
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
    ROOT.detachAppender(LOG);
    LOG.stop();
    OURS.setLevel(oursBefore);
  }

  /**
   * Echoes the Authorization header, and the secret in base64, in every answer; the row or prompt
   * decides whether the answer is a success, a 401, a 422 or text that is not JSON.
   */
  private static Reply echo(FakeEndpoint.Recorded request) {
    String auth = String.valueOf(request.header("Authorization"));
    String secret = auth.substring(auth.indexOf(' ') + 1);
    String echoed =
        "\"seen\": \"%s\", \"seen_b64\": \"%s\", \"secret_b64\": \"%s\""
            .formatted(auth, base64(auth), base64(secret));
    String body = request.body();
    if (body.contains("please-fail")) {
      return Reply.json(401, "{\"error\": \"bad token " + auth + "\", " + echoed + "}");
    }
    if (body.contains("please-refuse")) {
      return Reply.json(422, "{\"error\": \"cannot use " + secret + "\", " + echoed + "}");
    }
    if (body.contains("please-ramble")) {
      return new Reply.Respond(
          200, Map.of("Content-Type", "text/plain"), "I saw " + auth, java.time.Duration.ZERO);
    }
    return Reply.json(
        "{\"label\": \"tench\", \"cat\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.9]}, "
            + echoed
            + "}");
  }

  /** Every answer is kept, with its headers, for the search at the end. */
  private static HttpResponse<String> heard(HttpResponse<String> response) {
    said.append(response.request().method())
        .append(' ')
        .append(response.uri())
        .append(" -> ")
        .append(response.statusCode())
        .append('\n')
        .append(response.headers().map())
        .append('\n')
        .append(response.body())
        .append("\n\n");
    return response;
  }

  private static HttpResponse<String> get(String path) {
    return heard(http.get(path, key));
  }

  private static HttpResponse<String> postJson(String path, String json) {
    return heard(http.postJson(path, key, json));
  }

  @Test
  void no_secret_appears_in_anything_the_server_says_or_logs() {
    String yamlModel =
        ok(
                heard(
                    http.post(
                        "/api/v1/models",
                        key,
                        "application/yaml",
                        Api.manifest("sweep yaml", endpoint.uri().toString())
                            .replace("s3cr3t-token-for-the-model", YAML_SECRET))),
                201)
            .get("id")
            .asString();
    String formModel =
        ok(
                postJson(
                    "/api/v1/models",
                    "{\"data_type\": \"image\", \"name\": \"sweep form\", \"inference_endpoint\":"
                        + " \""
                        + endpoint.uri()
                        + "\", \"secret\": \""
                        + FORM_SECRET
                        + "\"}"),
                201)
            .get("id")
            .asString();
    ok(
        heard(
            http.send(
                http.request("/api/v1/models/" + yamlModel, key)
                    .header("Content-Type", "application/yaml")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            Api.manifest("sweep yaml", endpoint.uri().toString())
                                .replace("s3cr3t-token-for-the-model", NEW_SECRET))))),
        200);
    // A refused version must not quote the secret it was given either.
    heard(
        http.post(
            "/api/v1/models",
            key,
            "application/yaml",
            "name: refused\ninference_endpoint: x\nsecrets: {api: \"" + YAML_SECRET + "\"}\n"));
    for (String model : List.of(yamlModel, formModel)) {
      get("/api/v1/models/" + model);
      get("/api/v1/models/" + model + "/versions");
      testConnection(model, "https://img.example.com/fine.jpg");
      testConnection(model, "https://img.example.com/please-fail.jpg");
      testConnection(model, "https://img.example.com/please-ramble.jpg");
      chat(model, "Say hello");
      chat(model, "please-fail now");
      heard(
          http.postJson(
              "/api/v1/models/" + model + "/chat?format=raw",
              key,
              "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"raw\"}]}]}"));
    }
    get("/api/v1/models");
    postJson(
        "/api/v1/chat/comparisons",
        "{\"models\": [\""
            + yamlModel
            + "\", \""
            + formModel
            + "\"], \"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"compare\"}]}]}");
    get("/api/v1/chat/comparisons");
    get("/api/v1/chat/comparisons/export");

    String run = runOverRows(yamlModel);
    get("/api/v1/runs/" + run);
    get("/api/v1/runs/" + run + "/tasks");
    get("/api/v1/runs/" + run + "/tasks?state=FAILED");
    get("/api/v1/runs/" + run + "/events");
    for (String format : List.of("ndjson", "coco", "raw")) {
      assertThat(get("/api/v1/runs/" + run + "/predictions?format=" + format).statusCode())
          .isEqualTo(200);
    }
    heard(http.get("/metrics", server.metricsKey));
    get("/api/v1/openapi.json");
    get("/api/v1/health");
    visitThePages(yamlModel, run);
    heard(http.delete("/api/v1/models/" + formModel, key));

    assertThat(said.toString()).contains("Bearer ****");
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("what the server answered", said.toString());
    texts.put("the console", server.console());
    texts.put("the log", log());
    texts.put("what the model endpoint was asked, apart from its auth header", askedBodies());
    Map<String, Set<String>> leaks = new LinkedHashMap<>();
    texts.forEach((where, text) -> leaks.put(where, leaks(text)));
    assertThat(leaks).allSatisfy((where, found) -> assertThat(found).as(where).isEmpty());
    assertThat(log()).contains("starting OpenFoundry").contains("****");
  }

  private static void testConnection(String model, String rowData) {
    postJson(
        "/api/v1/models/" + model + "/test",
        "{\"data_row\": {\"row_data\": \"" + rowData + "\", \"media_type\": \"image\"}}");
  }

  private static void chat(String model, String text) {
    postJson(
        "/api/v1/models/" + model + "/chat",
        "{\"prompt\": [{\"role\": \"user\", \"parts\": [{\"text\": \"" + text + "\"}]}]}");
  }

  /** A run over rows that succeed, fail with 401 and 422, and answer text that is not JSON. */
  private static String runOverRows(String model) {
    String dataset = Api.dataset(http, key, "sweep rows");
    StringBuilder rows = new StringBuilder();
    for (String name :
        List.of("fine-1", "fine-2", "please-fail", "please-refuse", "please-ramble")) {
      rows.append(
          "{\"row_data\": \"https://img.example.com/%s.jpg\", \"global_key\": \"%s\", \"media_type\": \"image\"}\n"
              .formatted(name, name));
    }
    ok(
        heard(
            http.post(
                "/api/v1/datasets/" + dataset + "/data-rows",
                key,
                "application/x-ndjson",
                rows.toString())),
        200);
    String run =
        ok(
                postJson(
                    "/api/v1/runs",
                    "{\"model_id\": \"" + model + "\", \"dataset_id\": \"" + dataset + "\"}"),
                202)
            .get("id")
            .asString();
    // The event stream ends when the run has finished.
    get("/api/v1/runs/" + run + "/events");
    JsonNode finished = ok(get("/api/v1/runs/" + run), 200);
    assertThat(finished.get("state").asString()).isEqualTo("PARTIALLY_SUCCEEDED");
    assertThat(finished.get("counts").get("failed").asLong()).isEqualTo(3);
    return run;
  }

  /** Every page of the UI that shows a model, its versions, a run or its rows, and its forms. */
  private static void visitThePages(String model, String run) {
    WebSession browser = WebSession.signIn(http, key);
    for (String page :
        List.of(
            "/models",
            "/models/" + model,
            "/models/new",
            "/datasets",
            "/runs",
            "/runs/new",
            "/runs/" + run,
            "/runs/" + run + "/failed",
            "/runs/" + run + "/rows/0",
            "/runs/" + run + "/rows/1")) {
      assertThat(heard(browser.get(page)).statusCode()).as(page).isEqualTo(200);
    }
    heard(
        browser.post(
            "/models/new/form",
            "data_type",
            "image",
            "name",
            "sweep ui",
            "inference_endpoint",
            "not a url",
            "secret",
            UI_SECRET));
    heard(
        browser.post(
            "/models/new/manifest",
            "yaml",
            "name: sweep manifest\ninference_endpoint: nowhere\nsecrets:\n  api: \""
                + UI_SECRET
                + "\"\nrequests_per_second: many\n"));
    heard(
        browser.post(
            "/models/" + model + "/settings",
            "requests_per_second",
            "many",
            "readme",
            "",
            "secret",
            UI_SECRET));
    heard(
        browser.post(
            "/models/" + model + "/settings",
            "requests_per_second",
            "2",
            "readme",
            "# Sweep",
            "secret",
            UI_SECRET));
    heard(browser.get("/models/" + model));
  }

  private static String log() {
    List<ILoggingEvent> events;
    synchronized (LOG) {
      events = new ArrayList<>(LOG.list);
    }
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : events) {
      text.append(event.getLevel())
          .append(' ')
          .append(event.getLoggerName())
          .append(' ')
          .append(event.getFormattedMessage())
          .append('\n');
      if (event.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    return text.toString();
  }

  /** What the endpoint received, without the one header that is meant to carry the secret. */
  private static String askedBodies() {
    StringBuilder text = new StringBuilder();
    for (FakeEndpoint.Recorded request : endpoint.requests()) {
      text.append(request.path()).append('\n').append(request.body()).append('\n');
    }
    return text.toString();
  }

  /** Each secret, as is, in base64 (standard and URL-safe) and behind "Bearer ", found in text. */
  private static Set<String> leaks(String text) {
    Set<String> found = new TreeSet<>();
    for (String secret :
        List.of(
            YAML_SECRET,
            FORM_SECRET,
            NEW_SECRET,
            UI_SECRET,
            MASTER_KEY,
            SIGNING_KEY,
            AppFixture.ADMIN_KEY)) {
      for (String form : forms(secret)) {
        int at = text.indexOf(form);
        if (at >= 0) {
          found.add(
              form
                  + " at: "
                  + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 100)));
        }
      }
    }
    return found;
  }

  private static List<String> forms(String secret) {
    List<String> forms = new ArrayList<>(List.of(secret, "Bearer " + secret));
    for (String text : List.of(secret, "Bearer " + secret)) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    return forms;
  }
}
