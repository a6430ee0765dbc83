package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.assertError;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;

/**
 * A secret, a name or an auth header that would split the header it is sent in (a line break, a
 * NUL) is refused when the model is registered or changed, with the field named, and nothing is
 * ever sent with it.
 */
class HeaderInjectionTest {
  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static HttpFixture http;
  private static String key;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.answering(FakeEndpoint.Reply.json("{\"label\": \"tench\"}"));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
  }

  private static String yaml(String name, String extra) {
    return """
        name: %s
        inference_endpoint: %s
        allowed_asset_types: [image]
        ontology: {media_type: IMAGE, tools: [{name: cat, tool: rectangle}]}
        %s
        """
        .formatted(name, endpoint.uri(), extra);
  }

  private static HttpResponse<String> registerYaml(String yaml) {
    return http.post("/api/v1/models", key, "application/yaml", yaml);
  }

  private static String form(String name, String secretJson) {
    return "{\"data_type\": \"image\", \"name\": "
        + name
        + ", \"inference_endpoint\": \""
        + endpoint.uri()
        + "\", \"secret\": "
        + secretJson
        + "}";
  }

  @Test
  void a_secret_with_a_line_break_or_a_nul_is_refused_in_a_manifest_and_in_the_form() {
    HttpResponse<String> crlf =
        registerYaml(yaml("crlf", "secrets: \"token\\r\\nX-Injected: yes\""));
    HttpResponse<String> nul = registerYaml(yaml("nul", "secrets: \"token\\0rest\""));
    HttpResponse<String> formCrlf =
        http.postJson(
            "/api/v1/models", key, form("\"form crlf\"", "\"token\\r\\nX-Injected: yes\""));

    for (HttpResponse<String> refused : List.of(crlf, nul, formCrlf)) {
      assertError(refused, 400, "INVALID_MANIFEST");
      assertThat(refused.body())
          .contains("a secret must not contain a line break or another control character")
          .doesNotContain("X-Injected")
          .doesNotContain("rest");
    }
    assertThat(HttpFixture.json(crlf).get("error").get("details").get(0).get("path").asString())
        .isEqualTo("secrets");
  }

  @Test
  void a_name_with_a_line_break_is_refused() {
    HttpResponse<String> refused =
        http.postJson("/api/v1/models", key, form("\"two\\r\\nlines\"", "\"a-fine-secret-value\""));

    assertError(refused, 400, "INVALID_MANIFEST");
    assertThat(refused.body()).contains("a name on one line, without control characters");
  }

  @Test
  void an_auth_header_or_scheme_that_is_not_a_token_is_refused() {
    HttpResponse<String> header =
        registerYaml(
            yaml(
                "bad header",
                "secrets: a-fine-secret-value\nauth: {header: \"X-Key\\r\\nX-Injected\"}"));
    HttpResponse<String> scheme =
        registerYaml(
            yaml(
                "bad scheme",
                "secrets: a-fine-secret-value\nauth: {header: X-Key, scheme: \"Bearer\\nX\"}"));

    assertError(header, 400, "INVALID_MANIFEST");
    assertError(scheme, 400, "INVALID_MANIFEST");
    assertThat(header.body()).contains("auth.header");
    assertThat(scheme.body()).contains("auth.scheme");
  }

  @Test
  void a_new_version_with_a_line_break_in_its_secret_is_refused_and_the_old_secret_stays() {
    String model =
        HttpFixture.json(registerYaml(yaml("kept", "secrets: the-first-secret")))
            .get("id")
            .asString();

    HttpResponse<String> refused =
        http.send(
            http.request("/api/v1/models/" + model, key)
                .header("Content-Type", "application/yaml")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        yaml("kept", "secrets: \"new\\r\\nX-Injected: yes\""))));
    assertError(refused, 400, "INVALID_MANIFEST");

    int before = endpoint.requests().size();
    HttpResponse<String> tested = Api.testConnection(http, key, model);
    assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
    assertThat(endpoint.requests()).hasSize(before + 1);
    FakeEndpoint.Recorded sent = endpoint.requests().getLast();
    assertThat(sent.header("Authorization")).isEqualTo("Bearer the-first-secret");
    assertThat(sent.header("X-Injected")).isNull();
    assertThat(endpoint.requests())
        .allSatisfy(request -> assertThat(request.header("X-Injected")).isNull());
  }
}
