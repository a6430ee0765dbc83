package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterRequest;
import org.openfoundry.chat.FetchedImage;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.models.SecretValue;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import tools.jackson.databind.node.ObjectNode;

class EndpointClientTransportTest {
  @AutoClose private static final EndpointClient client = Runs.startedClient();

  private static EndpointCall call(URI endpoint) {
    return call(endpoint, manifest -> {});
  }

  private static EndpointCall call(URI endpoint, Consumer<ObjectNode> change) {
    ObjectNode manifest = Runs.manifest(endpoint);
    change.accept(manifest);
    return EndpointCall.fromManifest(manifest);
  }

  private static EndpointClientTransport transport(EndpointCall call) {
    LeasedTask task =
        new LeasedTask(
            new TaskId("tsk_000007"),
            new RunId("run_01"),
            Runs.MODEL,
            Runs.row(7),
            3,
            0,
            new Lease("node-a", "token-1", Instant.parse("2026-03-01T12:01:00Z")));
    return EndpointClientTransport.forAttempt(
        client, call, Optional.of(new SecretValue(Runs.SECRET)), task);
  }

  @Test
  void sends_the_credential_idempotency_key_and_attempt_with_every_request() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json("{\"id\": \"p1\"}"))) {
      EndpointClientTransport transport = transport(call(endpoint.uri()));

      AdapterReply reply =
          transport.exchange(
              AdapterRequest.post(endpoint.uri(), Runs.JSON.readTree("{\"input\": 1}"))
                  .withHeader("Prefer", "wait=5"));
      transport.exchange(AdapterRequest.get(endpoint.uri().resolve("/predictions/p1")));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("{\"id\": \"p1\"}");
      assertThat(reply.header("content-type")).contains("application/json");
      assertThat(transport.lastStatus()).hasValue(200);
      FakeEndpoint.Recorded post = endpoint.requests().get(0);
      assertThat(post.method()).isEqualTo("POST");
      assertThat(post.body()).isEqualTo("{\"input\":1}");
      assertThat(post.header("Content-Type")).startsWith("application/json");
      assertThat(post.header("Prefer")).isEqualTo("wait=5");
      FakeEndpoint.Recorded get = endpoint.requests().get(1);
      assertThat(get.method()).isEqualTo("GET");
      assertThat(get.path()).isEqualTo("/predictions/p1");
      assertThat(get.body()).isEmpty();
      for (FakeEndpoint.Recorded request : endpoint.requests()) {
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + Runs.SECRET);
        assertThat(request.header("Idempotency-Key")).isEqualTo("tsk_000007");
        assertThat(request.header("OpenFoundry-Attempt")).isEqualTo("3");
      }
    }
  }

  @Test
  void sends_the_secret_in_the_header_the_manifest_names() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(Reply.json("{}"))) {
      EndpointClientTransport transport =
          transport(
              call(
                  endpoint.uri(),
                  manifest ->
                      manifest.putObject("auth").put("header", "X-Api-Key").put("scheme", "")));

      transport.exchange(AdapterRequest.post(endpoint.uri(), Runs.JSON.createObjectNode()));

      FakeEndpoint.Recorded request = endpoint.requests().getFirst();
      assertThat(request.header("X-Api-Key")).isEqualTo(Runs.SECRET);
      assertThat(request.header("Authorization")).isNull();
    }
  }

  @Test
  void keeps_the_secret_from_a_url_on_another_origin() {
    try (FakeEndpoint model = FakeEndpoint.answering(Reply.json("{}"));
        FakeEndpoint elsewhere = FakeEndpoint.answering(Reply.json("{}"))) {
      EndpointClientTransport transport = transport(call(model.uri()));

      transport.exchange(AdapterRequest.get(elsewhere.uri()));

      FakeEndpoint.Recorded request = elsewhere.requests().getFirst();
      assertThat(request.header("Authorization")).isNull();
      assertThat(request.header("Idempotency-Key")).isEqualTo("tsk_000007");
    }
  }

  @Test
  void returns_error_statuses_and_redirects_as_replies_without_following_them() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            FakeEndpoint.sequence(
                Reply.withHeader(302, "Location", "http://127.0.0.1:1/elsewhere"),
                Reply.withHeader(429, "Retry-After", "7")))) {
      EndpointClientTransport transport = transport(call(endpoint.uri()));

      AdapterReply redirect =
          transport.exchange(AdapterRequest.post(endpoint.uri(), Runs.JSON.createObjectNode()));
      AdapterReply limited =
          transport.exchange(AdapterRequest.post(endpoint.uri(), Runs.JSON.createObjectNode()));

      assertThat(redirect.status()).isEqualTo(302);
      assertThat(redirect.header("Location")).contains("http://127.0.0.1:1/elsewhere");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("retry-after")).contains("7");
      assertThat(endpoint.requests()).hasSize(2);
    }
  }

  @Test
  void throws_a_transport_failure_when_the_body_passes_the_size_cap() {
    try (FakeEndpoint endpoint = FakeEndpoint.answering(new Reply.Huge(4096, false))) {
      EndpointClientTransport transport =
          transport(call(endpoint.uri(), manifest -> manifest.put("max_response_bytes", 1024)));

      assertThatThrownBy(
              () ->
                  transport.exchange(
                      AdapterRequest.post(endpoint.uri(), Runs.JSON.createObjectNode())))
          .isInstanceOfSatisfying(
              TransportFailure.class,
              failure -> {
                assertThat(failure.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
                assertThat(failure.broken().error()).isEqualTo(EndpointError.RESPONSE_TOO_LARGE);
              });
    }
  }

  @Test
  void throws_a_transport_failure_when_the_endpoint_stays_silent_past_the_read_timeout() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.answering(Reply.json("{}").after(Duration.ofSeconds(5)))) {
      EndpointClientTransport transport =
          transport(
              call(
                  endpoint.uri(), manifest -> manifest.putObject("timeouts").put("read", "200ms")));

      assertThatThrownBy(
              () ->
                  transport.exchange(
                      AdapterRequest.post(endpoint.uri(), Runs.JSON.createObjectNode())))
          .isInstanceOfSatisfying(
              TransportFailure.class,
              failure -> {
                assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(failure.broken().error()).isEqualTo(EndpointError.ENDPOINT_TIMEOUT);
              });
    }
  }

  @Test
  void tells_origins_apart_by_scheme_host_and_port() {
    URI endpoint = URI.create("https://api.example.com/v1/predictions");

    assertThat(
            EndpointClientTransport.sameOrigin(
                URI.create("https://API.example.com:443/v1/predictions/abc"), endpoint))
        .isTrue();
    assertThat(EndpointClientTransport.sameOrigin(URI.create("http://api.example.com/"), endpoint))
        .isFalse();
    assertThat(
            EndpointClientTransport.sameOrigin(
                URI.create("https://api.example.com:8443/"), endpoint))
        .isFalse();
    assertThat(EndpointClientTransport.sameOrigin(URI.create("https://example.com/"), endpoint))
        .isFalse();
  }

  @Test
  void fetches_an_image_without_credentials_and_refuses_one_past_the_cap() {
    String png = "\u0089PNG";
    try (FakeEndpoint images =
        FakeEndpoint.start(
            FakeEndpoint.sequence(
                new Reply.Respond(200, Map.of("Content-Type", "image/png"), png, Duration.ZERO),
                new Reply.Huge(10_000, true),
                Reply.status(404)))) {
      EndpointClientImages fetcher =
          new EndpointClientImages(client, EndpointClientImages.TIMEOUTS);

      FetchedImage fetched = fetcher.fetch(images.uri(), 1024);

      assertThat(fetched.contentType()).contains("image/png");
      assertThat(fetched.bytes()).isEqualTo(png.getBytes(StandardCharsets.UTF_8));
      assertThat(images.requests().getFirst().header("Authorization")).isNull();
      assertThat(images.requests().getFirst().method()).isEqualTo("GET");
      assertThatThrownBy(() -> fetcher.fetch(images.uri(), 1024))
          .isInstanceOfSatisfying(
              FoundryException.class,
              error -> assertThat(error.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
      assertThatThrownBy(() -> fetcher.fetch(images.uri(), 1024))
          .isInstanceOfSatisfying(
              FoundryException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.UNREADABLE_ROW_DATA);
                assertThat(error.getMessage()).contains("HTTP 404");
              });
    }
  }
}
