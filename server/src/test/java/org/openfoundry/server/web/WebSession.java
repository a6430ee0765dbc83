package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.server.HttpFixture;

/**
 * A browser's session with the web UI seen from a plain HTTP client: its cookie and the CSRF token
 * its pages carry, for tests that fetch pages and post forms as a signed-in person would.
 */
public final class WebSession {
  private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("openfoundry_session=([^;]*)");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final HttpFixture http;
  private final String cookie;
  private final String token;

  private WebSession(HttpFixture http, String cookie, String token) {
    this.http = http;
    this.cookie = cookie;
    this.token = token;
  }

  /** Signs in with an API key through the sign-in form, as a person would. */
  public static WebSession signIn(HttpFixture http, String key) {
    HttpResponse<String> page = send(HttpRequest.newBuilder(http.uri("/signin")));
    String anonymous = cookieOf(page);
    HttpResponse<String> signedIn =
        send(
            HttpRequest.newBuilder(http.uri("/signin"))
                .header("Cookie", Sessions.COOKIE + "=" + anonymous)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form("_csrf", tokenOf(page.body()), "api_key", key))));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    String cookie = cookieOf(signedIn);
    HttpResponse<String> models =
        send(
            HttpRequest.newBuilder(http.uri("/models"))
                .header("Cookie", Sessions.COOKIE + "=" + cookie));
    return new WebSession(http, cookie, tokenOf(models.body()));
  }

  /** The session's CSRF token. */
  public String token() {
    return token;
  }

  /** A request carrying the session's cookie. */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(http.uri(path)).header("Cookie", Sessions.COOKIE + "=" + cookie);
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET());
  }

  /** Posts a form with the session's CSRF token added to the given fields. */
  public HttpResponse<String> post(String path, String... pairs) {
    String[] withToken = new String[pairs.length + 2];
    withToken[0] = Sessions.CSRF_FIELD;
    withToken[1] = token;
    System.arraycopy(pairs, 0, withToken, 2, pairs.length);
    return postExactly(path, withToken);
  }

  /** Posts a form with exactly the given fields: no token unless they hold one. */
  public HttpResponse<String> postExactly(String path, String... pairs) {
    return send(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(pairs))));
  }

  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  /** URL-encodes name, value, name, value, ... as a form body. */
  public static String form(String... pairs) {
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

  static String cookieOf(HttpResponse<String> response) {
    String header = response.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher matcher = COOKIE.matcher(header);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  static String tokenOf(String page) {
    Matcher matcher = TOKEN.matcher(page);
    assertThat(matcher.find()).as(page).isTrue();
    return matcher.group(1);
  }
}
