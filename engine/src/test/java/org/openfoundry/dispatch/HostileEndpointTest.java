package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.dispatch.RawEndpoint.ascii;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Endpoints that answer with bytes no HTTP server library would send: oversized headers, bodies
 * that are not UTF-8 or lie about their encoding, error pages past the cap or cut short, and
 * authentication challenges.
 */
class HostileEndpointTest {
  private static final String RESPONSE = "{\"label\": \"tench\"}";
  @AutoClose private static final EndpointClient client = Runs.startedClient();

  private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
  private final RetryPolicy policy = RetryPolicy.standard(new SplittableRandom(7));

  @Test
  void response_headers_past_64_kib_end_the_exchange_however_small_the_body() {
    try (RawEndpoint endpoint =
        RawEndpoint.start(
            (request, out) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\n"));
              byte[] line = ascii("X-Filler: " + "f".repeat(1000) + "\r\n");
              for (int i = 0; i < 4 * 1024; i++) {
                out.write(line);
              }
              respond(out, "Content-Length: " + RESPONSE.length() + "\r\n", ascii(RESPONSE));
              return true;
            })) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "ENDPOINT_PROTOCOL_ERROR");
      assertThat(failed.message()).contains("Header Bytes Too Large");
    }
  }

  @Test
  void a_2xx_body_that_is_not_utf8_is_not_json_and_says_where() {
    byte[] body = {'{', '"', 'l', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
    try (RawEndpoint endpoint = answering("200 OK", "", body)) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "RESPONSE_NOT_JSON");
      assertThat(failed.message()).contains("UTF-8").contains("offset 6");
    }
    // The replacement character itself, sent as UTF-8, is a character like any other.
    byte[] replacement = "{\"label\": \"\uFFFD\"}".getBytes(StandardCharsets.UTF_8);
    try (RawEndpoint endpoint = answering("200 OK", "", replacement)) {
      assertThat(attempt(endpoint.uri(), manifest -> {}))
          .isInstanceOf(AttemptOutcome.Succeeded.class);
    }
  }

  @Test
  void a_body_cut_off_at_the_cap_keeps_a_prefix_of_whole_characters_within_a_kib() {
    try (RawEndpoint endpoint =
        RawEndpoint.start(
            (request, out) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"));
              out.write(ascii("a".repeat(1023)));
              for (int i = 0; i < 2000; i++) {
                out.write("€".getBytes(StandardCharsets.UTF_8));
              }
              return false;
            })) {
      AttemptOutcome outcome =
          attempt(endpoint.uri(), manifest -> manifest.put("max_response_bytes", 4096));

      AttemptOutcome.Failed failed = failed(outcome, "RESPONSE_TOO_LARGE");
      assertThat(failed.bodyPrefix()).isEqualTo("a".repeat(1023));
    }
  }

  @Test
  void a_503_whose_error_page_passes_the_cap_is_still_a_503_and_retried() {
    String page = "<html>" + "x".repeat(8000) + "</html>";
    try (RawEndpoint endpoint = answering("503 Service Unavailable", "", ascii(page))) {
      AttemptOutcome outcome =
          attempt(endpoint.uri(), manifest -> manifest.put("max_response_bytes", 4096));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              AttemptOutcome.RetryLater.class,
              retry -> {
                assertThat(retry.errorCode()).isEqualTo("ENDPOINT_HTTP_503");
                assertThat(retry.httpStatus()).hasValue(503);
                assertThat(retry.message()).contains("HTTP 503").contains("4096");
              });
    }
  }

  @Test
  void a_404_whose_body_is_cut_short_fails_at_once_as_a_404_in_plain_words() {
    try (RawEndpoint endpoint =
        RawEndpoint.start(
            (request, out) -> {
              respond(
                  out,
                  "HTTP/1.1 404 Not Found\r\nContent-Length: 500\r\n",
                  ascii("{\"error\": \"no such route"));
              return false;
            })) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "ENDPOINT_HTTP_404");
      assertThat(failed.bodyPrefix()).isEqualTo("{\"error\": \"no such route");
      assertThat(failed.message())
          .contains("HTTP 404")
          .contains("closed before the response was complete")
          .doesNotContain("@");
    }
  }

  @Test
  void a_body_cut_short_is_a_reset_whichever_layer_of_the_client_notices() {
    assertThat(EndpointClient.classify(new HttpException.RuntimeException(400, "Early EOF")))
        .isEqualTo(EndpointError.ENDPOINT_CONNECTION_RESET);
    assertThat(EndpointClient.classify(new IOException("broken", new EOFException("early EOF"))))
        .isEqualTo(EndpointError.ENDPOINT_CONNECTION_RESET);
    assertThat(
            EndpointClient.classify(
                new HttpException.RuntimeException(400, "Illegal character in header")))
        .isEqualTo(EndpointError.ENDPOINT_PROTOCOL_ERROR);
  }

  @Test
  void a_body_that_says_gzip_but_is_not_fails_for_good_as_a_protocol_error() {
    try (RawEndpoint endpoint =
        answering("200 OK", "Content-Encoding: gzip\r\n", ascii(RESPONSE))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "ENDPOINT_PROTOCOL_ERROR");
      assertThat(failed.message()).contains("gzip");
    }
  }

  @Test
  void a_gzip_body_is_decoded_and_a_gzip_bomb_is_cut_at_the_cap_on_its_decoded_size()
      throws IOException {
    byte[] zipped = gzip(ascii(RESPONSE), 1);
    try (RawEndpoint endpoint = answering("200 OK", "Content-Encoding: gzip\r\n", zipped)) {
      assertThat(attempt(endpoint.uri(), manifest -> {}))
          .isInstanceOf(AttemptOutcome.Succeeded.class);
    }
    byte[] bomb = gzip(new byte[1024 * 1024], 64);
    try (RawEndpoint endpoint = answering("200 OK", "Content-Encoding: gzip\r\n", bomb)) {
      AttemptOutcome outcome =
          attempt(endpoint.uri(), manifest -> manifest.put("max_response_bytes", 1024 * 1024));

      failed(outcome, "RESPONSE_TOO_LARGE");
    }
  }

  @Test
  void a_401_challenge_with_a_large_body_keeps_its_body_and_fails_at_once() {
    String page = "{\"error\": \"" + "x".repeat(20_000) + "\"}";
    try (RawEndpoint endpoint =
        answering("401 Unauthorized", "WWW-Authenticate: Bearer realm=\"api\"\r\n", ascii(page))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "ENDPOINT_HTTP_401");
      assertThat(failed.bodyPrefix()).startsWith("{\"error\": \"xxx");
      assertThat(endpoint.requests()).hasSize(1);
    }
  }

  @Test
  void a_not_json_message_never_carries_the_start_of_an_echoed_secret() {
    String body = "a".repeat(252) + Runs.SECRET;
    try (RawEndpoint endpoint = answering("200 OK", "", ascii(body))) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "RESPONSE_NOT_JSON");
      assertThat(failed.message()).doesNotContain(Runs.SECRET.substring(0, 4));
      assertThat(failed.bodyPrefix()).doesNotContain(Runs.SECRET.substring(0, 4));
    }
  }

  @Test
  void an_empty_2xx_body_is_not_json() {
    try (RawEndpoint endpoint =
        RawEndpoint.start(
            (request, out) -> {
              out.write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
              return true;
            })) {
      AttemptOutcome outcome = attempt(endpoint.uri(), manifest -> {});

      AttemptOutcome.Failed failed = failed(outcome, "RESPONSE_NOT_JSON");
      assertThat(failed.message()).contains("empty");
    }
  }

  @Test
  void a_secret_that_cannot_be_a_header_value_fails_the_attempt_before_anything_is_sent() {
    try (RawEndpoint endpoint = answering("200 OK", "", ascii(RESPONSE))) {
      for (String secret : new String[] {"pässwörd-€", "abcd1234\r\nX-Injected: yes"}) {
        AttemptOutcome outcome =
            attempt(endpoint.uri(), manifest -> {}, Optional.of(new SecretValue(secret)));

        AttemptOutcome.Failed failed = failed(outcome, "SECRET_INVALID");
        assertThat(failed.message()).contains("printable ASCII");
        assertThat(failed.toString()).doesNotContain("sswör").doesNotContain("abcd1234");
      }
      assertThat(endpoint.requests()).isEmpty();
    }
  }

  @Test
  void interim_1xx_answers_are_skipped_and_no_redirect_is_followed() {
    byte[] body = ascii(RESPONSE);
    try (RawEndpoint endpoint =
        RawEndpoint.start(
            (request, out) -> {
              respond(
                  out,
                  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                      + "HTTP/1.1 200 OK\r\nContent-Length: "
                      + body.length
                      + "\r\n",
                  body);
              return true;
            })) {
      assertThat(attempt(endpoint.uri(), manifest -> {}))
          .isInstanceOf(AttemptOutcome.Succeeded.class);
    }
    for (int status : new int[] {301, 303, 307, 308}) {
      try (RawEndpoint endpoint =
          answering(status + " Moved", "Location: /elsewhere\r\n", new byte[0])) {
        failed(attempt(endpoint.uri(), manifest -> {}), "ENDPOINT_HTTP_" + status);
        assertThat(endpoint.requests()).hasSize(1);
      }
    }
  }

  /** Asserts the attempt failed for good with the code, and returns it. */
  private static AttemptOutcome.Failed failed(AttemptOutcome outcome, String code) {
    assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
    AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
    assertThat(failed.errorCode()).as(failed.message()).isEqualTo(code);
    return failed;
  }

  /** An endpoint answering every request with the status, extra header lines and body given. */
  private static RawEndpoint answering(String status, String headers, byte[] body) {
    return RawEndpoint.start(
        (request, out) -> {
          respond(
              out,
              "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + body.length + "\r\n",
              body);
          return true;
        });
  }

  private static void respond(OutputStream out, String head, byte[] body) throws IOException {
    out.write(ascii(head + "\r\n"));
    out.write(body);
  }

  private static byte[] gzip(byte[] data, int times) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < times; i++) {
        zip.write(data);
      }
    }
    return bytes.toByteArray();
  }

  private AttemptOutcome attempt(URI endpoint, Consumer<ObjectNode> changes) {
    return attempt(endpoint, changes, Optional.of(new SecretValue(Runs.SECRET)));
  }

  private AttemptOutcome attempt(
      URI endpoint, Consumer<ObjectNode> changes, Optional<SecretValue> secret) {
    ObjectNode manifest = Runs.manifest(endpoint);
    changes.accept(manifest);
    RunDispatchContext context = Runs.context("run_01", Runs.MODEL, manifest, secret);
    EndpointTaskCaller caller =
        new EndpointTaskCaller(client, new KeepWholeResponse(), policy, limiter, clock);
    try {
      return caller.attempt(
          Runs.task(1, 0, new Lease("node-a", "token-1", clock.instant().plusSeconds(60))),
          context,
          EndpointCall.fromManifest(context.manifest()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
