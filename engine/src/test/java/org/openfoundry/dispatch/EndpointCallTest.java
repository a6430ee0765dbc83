package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.ObjectNode;

class EndpointCallTest {
  private static final URI ENDPOINT = URI.create("https://models.example.com/predict");

  @Test
  void fills_in_the_defaults_for_a_manifest_that_only_names_its_endpoint() {
    ObjectNode manifest =
        Runs.JSON.createObjectNode().put("inference_endpoint", ENDPOINT.toString());

    EndpointCall call = EndpointCall.fromManifest(manifest);

    assertThat(call.endpoint()).isEqualTo(ENDPOINT);
    assertThat(call.auth()).isEqualTo(new EndpointCall.Auth("Authorization", "Bearer"));
    assertThat(call.timeouts())
        .isEqualTo(
            new EndpointCall.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300)));
    assertThat(call.maxConcurrency()).isEqualTo(8);
    assertThat(call.maxAttempts()).isEqualTo(5);
    assertThat(call.maxResponseBytes()).isEqualTo(33_554_432L);
    assertThat(call.requestsPerSecond()).isEmpty();
    assertThat(call.ontology()).isEmpty();
  }

  @Test
  void reads_every_key_the_dispatcher_uses() {
    ObjectNode manifest = Runs.manifest(ENDPOINT);
    manifest.putObject("auth").put("header", "X-Api-Key").put("scheme", "");
    manifest.putObject("timeouts").put("connect", "500ms").put("read", "1.5s").put("total", "2m");
    manifest.put("max_concurrency", 3);
    manifest.put("max_attempts", 2);
    manifest.put("max_response_bytes", 1024);
    manifest.put("requests_per_second", 0.1);

    EndpointCall call = EndpointCall.fromManifest(manifest);

    assertThat(call.auth()).isEqualTo(new EndpointCall.Auth("X-Api-Key", ""));
    assertThat(call.auth().value("abc")).isEqualTo("abc");
    assertThat(call.timeouts())
        .isEqualTo(
            new EndpointCall.Timeouts(
                Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMinutes(2)));
    assertThat(call.maxConcurrency()).isEqualTo(3);
    assertThat(call.maxAttempts()).isEqualTo(2);
    assertThat(call.maxResponseBytes()).isEqualTo(1024);
    assertThat(call.requestsPerSecond()).hasValue(0.1);
    assertThat(call.ontology())
        .hasValueSatisfying(ontology -> assertThat(ontology.path("tools").size()).isEqualTo(2));
  }

  @Test
  void accepts_a_timeout_given_as_a_number_of_seconds() {
    ObjectNode manifest = Runs.manifest(ENDPOINT);
    manifest.putObject("timeouts").put("read", 2.5).put("total", 30);

    EndpointCall call = EndpointCall.fromManifest(manifest);

    assertThat(call.timeouts().read()).isEqualTo(Duration.ofMillis(2500));
    assertThat(call.timeouts().total()).isEqualTo(Duration.ofSeconds(30));
    assertThat(call.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void names_the_path_and_the_value_of_every_key_it_cannot_use() {
    ObjectNode manifest =
        Runs.JSON.createObjectNode().put("inference_endpoint", "ftp://files.example.com");
    manifest.put("requests_per_second", "high");
    manifest.put("max_concurrency", 0);
    manifest.putObject("timeouts").put("read", "soon");
    manifest.putObject("auth").put("header", "Bad Header");

    assertThatThrownBy(() -> EndpointCall.fromManifest(manifest))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
              List<String> problems = error.problems().stream().map(Problem::format).toList();
              assertThat(problems)
                  .containsExactlyInAnyOrder(
                      "inference_endpoint: expected an http or https URL, got \"ftp://files.example.com\"",
                      "auth: header must be an HTTP field name, got \"Bad Header\"",
                      "timeouts.read: expected a positive duration such as 10s, 500ms, 2m or a number of"
                          + " seconds, got \"soon\"",
                      "max_concurrency: expected a whole number >= 1, got 0",
                      "requests_per_second: expected a positive number such as 0.1 or 5, got \"high\"");
            });
  }

  @Test
  void a_manifest_without_an_endpoint_says_so() {
    assertThatThrownBy(() -> EndpointCall.fromManifest(Runs.JSON.createObjectNode()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error ->
                assertThat(error.describe())
                    .contains(
                        "inference_endpoint: expected the endpoint's http or https URL, got nothing"));
  }

  @Test
  void restricts_the_ontology_sent_to_the_run_features() {
    ObjectNode ontology = (ObjectNode) Runs.manifest(ENDPOINT).get("ontology");

    ObjectNode restricted = EndpointRequest.restrict(ontology, List.of("bicycle", "label"));

    assertThat(restricted.path("tools").size()).isEqualTo(1);
    assertThat(restricted.path("tools").get(0).path("name").asString()).isEqualTo("bicycle");
    assertThat(restricted.path("classifications").size()).isEqualTo(1);
    assertThat(EndpointRequest.restrict(ontology, List.of())).isEqualTo(ontology);
  }
}
