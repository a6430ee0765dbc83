package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.HttpFixture.json;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FilesTest {
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

  /** The signed URL points at the configured public address; the test asks the real port. */
  private static String local(String signedUrl) {
    URI uri = URI.create(signedUrl);
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  @Test
  void an_uploaded_image_gets_a_generated_name_and_a_signed_url_that_serves_it() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    HttpResponse<String> uploaded =
        http.send(
            http.request("/api/v1/files", server.memberKey)
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)));
    JsonNode file = json(uploaded);

    assertThat(uploaded.statusCode()).isEqualTo(201);
    assertThat(file.get("name").asString()).matches("[0-9A-Z]{26}\\.png");
    assertThat(file.get("row_data").asString())
        .isEqualTo("openfoundry://files/" + file.get("name").asString());
    assertThat(file.get("size").asLong()).isEqualTo(png.length);

    HttpResponse<byte[]> served =
        sendBytes(http.request(local(file.get("url").asString()), null).GET());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(png);
    assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
  }

  @Test
  void a_row_naming_an_uploaded_file_that_does_not_exist_is_refused_at_its_line() {
    String dataset = Api.dataset(http, server.memberKey, "uploaded rows");
    String uploaded =
        json(http.post("/api/v1/files", server.memberKey, "text/plain", "some words"))
            .get("row_data")
            .asString();

    JsonNode report =
        Api.importRows(
            http,
            server.memberKey,
            dataset,
            """
            {"row_data": "%s", "media_type": "text"}
            {"row_data": "openfoundry://files/01NOSUCHFILE0000000000000.png", "media_type": "image"}
            """
                .formatted(uploaded));

    assertThat(report.get("imported").asLong()).isEqualTo(1);
    assertThat(report.get("rejected").asLong()).isEqualTo(1);
    JsonNode problem = report.get("problems").get(0);
    assertThat(problem.get("line").asInt()).isEqualTo(2);
    assertThat(problem.get("path").asString()).isEqualTo("row_data");
    assertThat(problem.get("message").asString())
        .isEqualTo("no uploaded file named \"01NOSUCHFILE0000000000000.png\"");
  }

  @Test
  void a_multipart_upload_keeps_the_content_and_ignores_the_client_file_name() {
    String boundary = "----openfoundry-test";
    String body =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "Tom and Bob are happy\r\n"
            + "--"
            + boundary
            + "--\r\n";
    HttpResponse<String> uploaded =
        http.post(
            "/api/v1/files", server.memberKey, "multipart/form-data; boundary=" + boundary, body);

    assertThat(uploaded.statusCode()).isEqualTo(201);
    String name = json(uploaded).get("name").asString();
    assertThat(name).matches("[0-9A-Z]{26}\\.txt").doesNotContain("passwd");
    HttpResponse<String> served = http.get(local(json(uploaded).get("url").asString()), null);
    assertThat(served.body()).isEqualTo("Tom and Bob are happy");
  }

  @Test
  void a_forged_or_expired_signature_is_403() {
    HttpResponse<String> uploaded =
        http.post("/api/v1/files", server.memberKey, "text/plain", "hello");
    String url = local(json(uploaded).get("url").asString());

    String forged = url.replaceAll("signature=[^&]+", "signature=AAAA");
    assertThat(http.get(forged, null).statusCode()).isEqualTo(403);
    String extended = url.replaceAll("expires=(\\d+)", "expires=9999999999");
    assertThat(http.get(extended, null).statusCode()).isEqualTo(403);
    assertThat(http.get(url, null).statusCode()).isEqualTo(200);

    server.clock.advance(Duration.ofMinutes(16));
    HttpResponse<String> expired = http.get(url, null);
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(json(expired).get("error").get("code").asString()).isEqualTo("FORBIDDEN");
  }

  @Test
  void a_type_that_cannot_be_stored_is_415_and_an_oversized_file_is_413() {
    HttpResponse<String> exe =
        http.post("/api/v1/files", server.memberKey, "application/x-msdownload", "MZ");
    assertThat(exe.statusCode()).isEqualTo(415);

    String big = "x".repeat(AppFixture.MAX_BODY + 1);
    HttpResponse<String> tooBig = http.post("/api/v1/files", server.memberKey, "text/plain", big);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(json(tooBig).get("error").get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void uploading_needs_a_key() {
    assertThat(http.post("/api/v1/files", null, "text/plain", "hello").statusCode()).isEqualTo(401);
  }

  private static HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.io.IOException failed) {
      throw new java.io.UncheckedIOException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
