package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.HttpFixture.json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    assertThat(served.headers().firstValue("Content-Security-Policy")).contains("sandbox");
    assertThat(served.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  private static HttpResponse<String> uploadNamed(String filename) {
    String boundary = "----openfoundry-test";
    String body =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\""
            + filename
            + "\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "Tom and Bob are happy\r\n"
            + "--"
            + boundary
            + "--\r\n";
    return http.post(
        "/api/v1/files", server.memberKey, "multipart/form-data; boundary=" + boundary, body);
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
  void a_multipart_upload_keeps_the_content_under_a_generated_name() {
    HttpResponse<String> uploaded = uploadNamed("notes.txt");

    assertThat(uploaded.statusCode()).isEqualTo(201);
    String name = json(uploaded).get("name").asString();
    assertThat(name).matches("[0-9A-Z]{26}\\.txt").doesNotContain("notes");
    HttpResponse<String> served = http.get(local(json(uploaded).get("url").asString()), null);
    assertThat(served.body()).isEqualTo("Tom and Bob are happy");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
        "..%2Fetc%2Fpasswd",
        "..",
        "passwd\u0000.txt",
        "notes%00.txt"
      })
  void an_upload_whose_name_tries_to_leave_the_folder_is_refused_and_nothing_is_written(
      String filename) throws IOException {
    List<Path> before = storedFiles();

    HttpResponse<String> refused = uploadNamed(filename);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonNode error = json(refused).get("error");
    assertThat(error.get("code").asString()).isEqualTo("INVALID_INPUT");
    assertThat(error.get("details").get(0).get("message").asString()).startsWith("expected a ");
    assertThat(storedFiles()).isEqualTo(before);
    if (filename.indexOf('\u0000') >= 0) {
      // The form itself could not be read: the connection is not offered for another request.
      assertThat(refused.headers().firstValue("Connection")).contains("close");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "..%2F..%2Fmaster.key",
        "%2e%2e%2fmaster.key",
        "..%5Cmaster.key",
        "%2Fetc%2Fpasswd",
        "master.key%00.png",
        "signing.key"
      })
  void a_download_of_a_name_outside_the_store_is_refused(String name) {
    HttpResponse<String> uploaded =
        http.post("/api/v1/files", server.memberKey, "text/plain", "hello");
    String query = URI.create(json(uploaded).get("url").asString()).getRawQuery();

    HttpResponse<String> refused = http.get("/files/" + name + "?" + query, null);

    assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 404);
    assertThat(refused.body()).doesNotContain("BEGIN").doesNotContain("root:");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "run_01%00",
        "%2Fetc%2Fpasswd",
        "run_..%2F..%2Fmaster.key"
      })
  void an_export_of_a_run_id_that_is_a_path_is_refused(String id) {
    HttpResponse<String> refused =
        http.get("/api/v1/runs/" + id + "/predictions?format=raw", server.memberKey);

    assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 404);
    assertThat(refused.body()).doesNotContain("root:");
  }

  private static List<Path> storedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(server.dataDir)) {
      // The database's own files come and go with its journal; everything else stays put.
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().contains(".db"))
          .sorted()
          .toList();
    }
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
