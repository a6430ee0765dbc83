package org.openfoundry.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.endpoint.ExampleModel;
import org.openfoundry.examples.endpoint.ModelRequest;
import org.openfoundry.examples.endpoint.ModelResponse;
import org.openfoundry.examples.language.LoadedLanguageModel;
import org.openfoundry.examples.shapes.ShapesModel;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Feature;
import tools.jackson.databind.JsonNode;

/** How the example server answers what it cannot serve: the status and a message that says why. */
class ExampleModelServerErrorsTest {
  private static final ImageFetchLimits TIGHT =
      new ImageFetchLimits(1_000, 4096L * 4096, Duration.ofSeconds(2), Duration.ofMillis(500));

  private static ExampleModelServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    ExampleServerConfig config =
        ExampleServerConfig.defaults().withImageFetch(TIGHT).withMaxRequestBytes(64 * 1024);
    HttpClient client = HttpImageLoader.client(config.imageFetch());
    server =
        new ExampleModelServer(
                config,
                List.of(
                    new ShapesModel(new HttpImageLoader(client, config.imageFetch())),
                    LoadedLanguageModel.get(),
                    new BrokenModel()))
            .start();
    http = new Http();
  }

  @AfterAll
  static void stop() {
    http.close();
    server.close();
  }

  @Test
  void answers_400_naming_the_position_of_a_body_that_is_not_json() {
    Http.Reply reply =
        http.post(server.endpoint("language"), "{\"data_row\": {\"row_data\": \"x\",}");

    assertThat(reply.status()).isEqualTo(400);
    JsonNode error = reply.json().get("error");
    assertThat(error.get("code").asString()).isEqualTo("INVALID_INPUT");
    assertThat(error.get("message").asString())
        .startsWith("bad request body: body:1:")
        .contains("not valid JSON");
  }

  @Test
  void answers_400_naming_each_missing_or_wrong_field() {
    Http.Reply reply =
        http.post(
            server.endpoint("language"),
            "{\"data_row\": {\"global_key\": \"a\"}, \"inference_params\": {\"confidence\": \"high\"}}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").get("details").findValuesAsString("path"))
        .containsExactly("data_row.row_data");
  }

  @Test
  void answers_400_for_an_inference_parameter_out_of_range() {
    Http.Reply reply =
        http.post(
            server.endpoint("language"), Http.task("Some text here.", "{}", "{\"confidence\": 2}"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").get("message").asString())
        .contains("inference_params.confidence: expected a number from 0 to 1, got 2");
  }

  @Test
  void answers_400_when_an_image_row_is_not_an_http_url() {
    Http.Reply reply =
        http.post(server.endpoint("shapes"), Http.task("file:///etc/passwd", "{}", "{}"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").get("message").asString())
        .isEqualTo("data_row.row_data: expected an http or https URL, got \"file:///etc/passwd\"");
  }

  @Test
  void answers_422_when_the_image_url_answers_404() {
    String missing = server.baseUri() + "/images/missing.png";
    Http.Reply reply = http.post(server.endpoint("shapes"), Http.task(missing, "{}", "{}"));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("error").get("code").asString()).isEqualTo("UNREADABLE_ROW_DATA");
    assertThat(reply.json().get("error").get("message").asString())
        .isEqualTo("data_row.row_data: the image at \"" + missing + "\" answered HTTP 404");
  }

  @Test
  void answers_422_when_nothing_listens_at_the_image_url() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Http.Reply reply =
        http.post(
            server.endpoint("shapes"),
            Http.task("http://127.0.0.1:" + port + "/a.png", "{}", "{}"));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("error").get("message").asString())
        .contains("refused the connection");
  }

  @Test
  void answers_422_when_the_url_is_not_an_image() {
    Http.Reply reply =
        http.post(server.endpoint("shapes"), Http.task(server.baseUri() + "/models/x", "{}", "{}"));

    assertThat(reply.status()).isEqualTo(422);
  }

  @Test
  void answers_422_when_the_image_is_longer_than_the_cap_declared_or_not() {
    byte[] large = new byte[5_000];
    try (FakeImageHost declared =
            new FakeImageHost(exchange -> reply(exchange, large, large.length));
        FakeImageHost chunked = new FakeImageHost(exchange -> reply(exchange, large, 0))) {
      for (URI image : List.of(declared.uri("/big.png"), chunked.uri("/big.png"))) {
        Http.Reply reply =
            http.post(server.endpoint("shapes"), Http.task(image.toString(), "{}", "{}"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").get("message").asString())
            .endsWith("is longer than 1000 bytes");
      }
    }
  }

  @Test
  void answers_422_when_the_image_host_does_not_answer_in_time() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeImageHost stalled =
        new FakeImageHost(
            exchange -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })) {
      Http.Reply reply =
          http.post(
              server.endpoint("shapes"),
              Http.task(stalled.uri("/slow.png").toString(), "{}", "{}"));

      assertThat(reply.status()).isEqualTo(422);
      assertThat(reply.json().get("error").get("message").asString()).contains("took longer than");
    } finally {
      release.countDown();
    }
  }

  @Test
  void answers_413_for_a_body_over_the_cap() {
    String text = "word ".repeat(20_000);
    Http.Reply reply = http.post(server.endpoint("language"), Http.task(text, "{}", "{}"));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().get("error").get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void answers_415_for_a_body_that_is_not_json() {
    Http.Reply reply =
        http.post(server.endpoint("language"), "row_data=x", "application/x-www-form-urlencoded");

    assertThat(reply.status()).isEqualTo(415);
  }

  @Test
  void answers_404_for_an_unknown_model_and_405_for_a_method_a_path_does_not_take() {
    Http.Reply unknown = http.post(URI.create(server.baseUri() + "/models/nope"), "{}");
    Http.Reply delete =
        http.send(HttpRequest.newBuilder(server.endpoint("shapes")).DELETE().build());
    Http.Reply traversal = http.get(URI.create(server.baseUri() + "/images/..%2Fmodels%2Fshapes"));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").get("message").asString())
        .contains("[shapes, language, broken]");
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).contains("GET, POST");
    assertThat(traversal.status()).isEqualTo(404);
  }

  @Test
  void answers_500_with_a_json_body_when_a_model_fails() {
    Http.Reply reply = http.post(server.endpoint("broken"), Http.task("x", "{}", "{}"));

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json().get("error").get("message").asString())
        .isEqualTo("the model failed: IllegalStateException: out of order");
  }

  @Test
  void answers_401_without_the_bearer_token_when_one_is_configured() {
    try (ExampleModelServer guarded =
        new ExampleModelServer(
                ExampleServerConfig.defaults().withBearerToken("s3cret"),
                List.of(LoadedLanguageModel.get()))
            .start()) {
      String body = Http.task("The council met in Leeds on Monday to vote.", "{}", "{}");
      Http.Reply without = http.post(guarded.endpoint("language"), body);
      Http.Reply wrong =
          http.send(
              HttpRequest.newBuilder(guarded.endpoint("language"))
                  .header("Authorization", "Bearer nope")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      Http.Reply with =
          http.send(
              HttpRequest.newBuilder(guarded.endpoint("language"))
                  .header("Authorization", "Bearer s3cret")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());

      assertThat(without.status()).isEqualTo(401);
      assertThat(without.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(with.status()).isEqualTo(200);
      assertThat(ExampleServerConfig.defaults().withBearerToken("s3cret").toString())
          .doesNotContain("s3cret");
    }
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, byte[] body, long length)
      throws IOException {
    exchange.sendResponseHeaders(200, length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A model with a bug: it throws. */
  private static final class BrokenModel implements ExampleModel {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public AssetType assetType() {
      return AssetType.TEXT;
    }

    @Override
    public List<Feature> features() {
      return List.of();
    }

    @Override
    public ModelResponse predict(ModelRequest request) {
      throw new IllegalStateException("out of order");
    }
  }
}
