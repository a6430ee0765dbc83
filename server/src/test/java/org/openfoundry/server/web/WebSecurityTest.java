package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;

/** Sessions, CSRF tokens and headers of the web UI, seen from a plain HTTP client. */
class WebSecurityTest {

  private static AppFixture server;
  private static HttpFixture http;

  @BeforeAll
  static void start() {
    server = new AppFixture();
    http = server.http;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A signed-in browser: its session cookie and the CSRF token its pages carry. */
  private record Session(String cookie, String token) {}

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    return WebSession.send(request);
  }

  private static String form(String... pairs) {
    return WebSession.form(pairs);
  }

  private static Session signIn(String key) {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));
    String anonymous = cookieOf(page);
    String token = tokenOf(page.body());
    HttpResponse<String> signedIn =
        send(
            HttpRequest.newBuilder(http.uri("/signin"))
                .header("Cookie", "openfoundry_session=" + anonymous)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("_csrf", token, "api_key", key))));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    String cookie = cookieOf(signedIn);
    assertThat(cookie).as("a new session id after sign-in").isNotEqualTo(anonymous);
    HttpResponse<String> models =
        send(
            HttpRequest.newBuilder(http.uri("/models"))
                .header("Cookie", "openfoundry_session=" + cookie));
    return new Session(cookie, tokenOf(models.body()));
  }

  private static String cookieOf(HttpResponse<String> response) {
    return WebSession.cookieOf(response);
  }

  private static String tokenOf(String page) {
    return WebSession.tokenOf(page);
  }

  @Test
  void the_session_cookie_is_http_only_and_same_site_strict() {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));

    assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/");
  }

  @Test
  void pages_need_a_session_and_send_a_strict_content_security_policy() {
    HttpResponse<String> anonymous = send(HttpRequest.newBuilder(http.uri("/models")));
    assertThat(anonymous.statusCode()).isEqualTo(303);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow())
        .isEqualTo("/signin?next=%2Fmodels");

    Session session = signIn(server.memberKey);
    HttpResponse<String> models =
        send(
            HttpRequest.newBuilder(http.uri("/models"))
                .header("Cookie", "openfoundry_session=" + session.cookie()));
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
  }

  @Test
  void a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    Session session = signIn(server.memberKey);

    HttpResponse<String> forged =
        send(
            HttpRequest.newBuilder(http.uri("/datasets"))
                .header("Cookie", "openfoundry_session=" + session.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("name", "forged dataset"))));
    HttpResponse<String> wrong =
        send(
            HttpRequest.newBuilder(http.uri("/datasets"))
                .header("Cookie", "openfoundry_session=" + session.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form("_csrf", "not-the-token", "name", "forged dataset"))));
    HttpResponse<String> genuine =
        send(
            HttpRequest.newBuilder(http.uri("/datasets"))
                .header("Cookie", "openfoundry_session=" + session.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form("_csrf", session.token(), "name", "genuine dataset"))));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF token");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(genuine.statusCode()).isEqualTo(303);
    String listed = http.get("/api/v1/datasets", server.memberKey).body();
    assertThat(listed).contains("genuine dataset").doesNotContain("forged dataset");
  }

  @Test
  void the_api_takes_the_session_and_needs_the_token_to_write() {
    Session session = signIn(server.memberKey);
    String cookie = "openfoundry_session=" + session.cookie();

    HttpResponse<String> read =
        send(HttpRequest.newBuilder(http.uri("/api/v1/datasets")).header("Cookie", cookie));
    HttpResponse<String> forged =
        send(
            HttpRequest.newBuilder(http.uri("/api/v1/datasets"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"through the api\"}")));
    HttpResponse<String> genuine =
        send(
            HttpRequest.newBuilder(http.uri("/api/v1/datasets"))
                .header("Cookie", cookie)
                .header(Sessions.CSRF_HEADER, session.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"through the api\"}")));

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(201);
  }

  @Test
  void signing_out_ends_the_session() {
    Session session = signIn(server.memberKey);
    String cookie = "openfoundry_session=" + session.cookie();

    HttpResponse<String> out =
        send(
            HttpRequest.newBuilder(http.uri("/signout"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("_csrf", session.token()))));
    HttpResponse<String> after =
        send(HttpRequest.newBuilder(http.uri("/api/v1/datasets")).header("Cookie", cookie));

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(after.statusCode()).isEqualTo(401);
  }

  @Test
  void a_metrics_key_cannot_sign_in() {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(http.uri("/signin"))
                .header("Cookie", "openfoundry_session=" + cookieOf(page))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form("_csrf", tokenOf(page.body()), "api_key", server.metricsKey))));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("metrics key");
  }

  @Test
  void sends_people_back_only_to_paths_on_this_site_after_sign_in() {
    assertThat(WebUi.next("/runs/run_01")).isEqualTo("/runs/run_01");
    assertThat(WebUi.next("https://elsewhere.example")).isEqualTo("/models");
    assertThat(WebUi.next("//elsewhere.example/path")).isEqualTo("/models");
    assertThat(WebUi.next("/\\elsewhere.example")).isEqualTo("/models");
    assertThat(WebUi.next(null)).isEqualTo("/models");
  }

  /** Every form on the UI that changes something, with fields that would be taken. */
  private static List<List<String>> forms(String model, String dataset) {
    return List.of(
        List.of("/datasets", "name", "forged dataset"),
        List.of(
            "/models/new/form",
            "data_type",
            "image",
            "name",
            "forged form model",
            "inference_endpoint",
            "https://models.example.com/predict"),
        List.of(
            "/models/new/manifest",
            "yaml",
            "name: forged manifest model\ninference_endpoint: https://models.example.com/p\n"),
        List.of(
            "/models/" + model + "/settings",
            "requests_per_second",
            "5",
            "readme",
            "forged readme",
            "secret",
            "forged-secret-value"),
        List.of("/models/" + model + "/archive"),
        List.of("/runs/new", "model_id", model, "dataset_id", dataset),
        List.of("/signout"));
  }

  /** What the forms above could change, read through the API. */
  private static String state(String model) {
    return http.get("/api/v1/models", server.adminKey).body()
        + http.get("/api/v1/models/" + model + "/versions", server.adminKey).body()
        + http.get("/api/v1/datasets", server.adminKey).body()
        + http.get("/api/v1/runs", server.adminKey).body();
  }

  @Test
  void every_form_refuses_a_post_without_the_token_with_a_wrong_one_or_from_another_site() {
    String model =
        HttpFixture.json(
                http.post(
                    "/api/v1/models",
                    server.memberKey,
                    "application/yaml",
                    "name: csrf target\ninference_endpoint: https://models.example.com/p\n"))
            .get("id")
            .asString();
    String dataset =
        HttpFixture.json(
                http.postJson("/api/v1/datasets", server.memberKey, "{\"name\": \"csrf rows\"}"))
            .get("id")
            .asString();
    WebSession browser = WebSession.signIn(http, server.memberKey);
    String before = state(model);

    for (List<String> form : forms(model, dataset)) {
      String path = form.getFirst();
      String[] fields = form.subList(1, form.size()).toArray(String[]::new);
      String[] wrong = withToken("not-the-token", fields);
      String[] right = withToken(browser.token(), fields);

      assertThat(browser.postExactly(path, fields).statusCode()).as(path).isEqualTo(403);
      assertThat(browser.postExactly(path, wrong).statusCode()).as(path).isEqualTo(403);
      HttpResponse<String> foreign =
          send(formPost(browser.request(path), right).header("Origin", "https://evil.example"));
      assertThat(foreign.statusCode()).as(path).isEqualTo(403);
      assertThat(foreign.body()).contains("another site");
      HttpResponse<String> crossSite =
          send(formPost(browser.request(path), right).header("Sec-Fetch-Site", "cross-site"));
      assertThat(crossSite.statusCode()).as(path).isEqualTo(403);
      assertThat(state(model)).as(path).isEqualTo(before);
      assertThat(browser.get("/models").statusCode()).as("still signed in").isEqualTo(200);
    }

    HttpResponse<String> sameSite =
        send(
            formPost(browser.request("/datasets"), withToken(browser.token(), "name", "genuine"))
                .header("Origin", "http://" + http.uri("/").getAuthority())
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(303);
    assertThat(state(model)).isNotEqualTo(before).contains("genuine");
  }

  @Test
  void signing_in_from_another_site_is_refused_and_starts_no_session() {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));
    String anonymous = cookieOf(page);
    HttpResponse<String> refused =
        send(
            formPost(
                    HttpRequest.newBuilder(http.uri("/signin"))
                        .header("Cookie", "openfoundry_session=" + anonymous),
                    withToken(tokenOf(page.body()), "api_key", server.memberKey))
                .header("Origin", "null"));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("another site");
    HttpResponse<String> after =
        send(
            HttpRequest.newBuilder(http.uri("/models"))
                .header("Cookie", "openfoundry_session=" + anonymous));
    assertThat(after.statusCode()).isEqualTo(303);
  }

  @Test
  void the_api_refuses_a_session_request_from_another_site_even_with_the_token() {
    Session session = signIn(server.memberKey);

    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(http.uri("/api/v1/datasets"))
                .header("Cookie", "openfoundry_session=" + session.cookie())
                .header(Sessions.CSRF_HEADER, session.token())
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"from elsewhere\"}")));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(http.get("/api/v1/datasets", server.memberKey).body())
        .doesNotContain("from elsewhere");
  }

  private static String[] withToken(String token, String... fields) {
    String[] all = new String[fields.length + 2];
    all[0] = Sessions.CSRF_FIELD;
    all[1] = token;
    System.arraycopy(fields, 0, all, 2, fields.length);
    return all;
  }

  private static HttpRequest.Builder formPost(HttpRequest.Builder request, String... fields) {
    return request
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
  }
}
