package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.server.AppFixture;
import org.openfoundry.server.HttpFixture;

/** Sessions, CSRF tokens and headers of the web UI, seen from a plain HTTP client. */
class WebSecurityTest {
  private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("openfoundry_session=([^;]*)");

  private static AppFixture server;
  private static HttpFixture http;
  private static final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

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

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(String... pairs) {
    StringBuilder body = new StringBuilder();
    for (int index = 0; index < pairs.length; index += 2) {
      if (!body.isEmpty()) {
        body.append('&');
      }
      body.append(URLEncoder.encode(pairs[index], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[index + 1], StandardCharsets.UTF_8));
    }
    return body.toString();
  }

  private static Session signIn(String key) throws Exception {
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
    String header = response.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher matcher = COOKIE.matcher(header);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private static String tokenOf(String page) {
    Matcher matcher = TOKEN.matcher(page);
    assertThat(matcher.find()).as(page).isTrue();
    return matcher.group(1);
  }

  @Test
  void the_session_cookie_is_http_only_and_same_site_strict() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));

    assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/");
  }

  @Test
  void pages_need_a_session_and_send_a_strict_content_security_policy() throws Exception {
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
  void a_form_without_the_csrf_token_is_refused_and_changes_nothing() throws Exception {
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
  void the_api_takes_the_session_and_needs_the_token_to_write() throws Exception {
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
  void signing_out_ends_the_session() throws Exception {
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
  void a_metrics_key_cannot_sign_in() throws Exception {
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
}
