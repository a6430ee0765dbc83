package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;

/** {@code foundry models ...} against the real server and a fake model endpoint. */
class ModelsCommandTest {
  private static FakeEndpoint endpoint;
  private static TestServer server;
  private static Cli cli;

  @TempDir Path folder;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.answering(Reply.json(Manifests.RESPONSE));
    server = new TestServer();
    cli = Cli.against(server, server.memberKey);
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
  }

  @Test
  void registers_a_model_from_the_form_with_its_secret_read_from_a_variable() throws Exception {
    Map<String, String> variables = new HashMap<>();
    variables.put("FOUNDRY_SERVER", server.url.toString());
    variables.put("FOUNDRY_API_KEY", server.memberKey);
    variables.put("DETECTOR_TOKEN", "token-from-the-environment");
    Cli withSecret = new Cli(variables);

    Cli.Result created =
        withSecret.run(
            "models", "create",
            "--name", "form detector",
            "--data-type", "image",
            "--endpoint", endpoint.uri().toString(),
            "--description", "boxes from a form",
            "--secret-env", "DETECTOR_TOKEN");

    assertThat(created.exit()).as(created.both()).isZero();
    assertThat(created.out()).matches("Registered form detector \\(mdl_\\w+\\), version 1\\s*");
    Cli.Result shown = cli.run("models", "show", "form detector");
    assertThat(shown.out())
        .contains("form detector (mdl_")
        .contains("secret:      set (write-only)")
        .contains("url:         " + endpoint.uri())
        .contains("description: boxes from a form")
        .doesNotContain("token-from-the-environment");

    Cli.Result tested =
        cli.run("models", "test", "form detector", "--row-data", "https://img.example.com/t.jpg");

    assertThat(endpoint.requests().getLast().header("Authorization"))
        .isEqualTo("Bearer token-from-the-environment");
    assertThat(tested.out()).contains("Authorization: Bearer ****");
    assertThat(tested.out()).doesNotContain("token-from-the-environment");
  }

  @Test
  void a_secret_variable_that_is_not_set_is_a_usage_error() {
    Cli.Result created =
        cli.run(
            "models", "create",
            "--name", "no secret",
            "--data-type", "image",
            "--endpoint", endpoint.uri().toString(),
            "--secret-env", "NOT_SET_ANYWHERE");

    assertThat(created.exit()).isEqualTo(2);
    assertThat(created.err())
        .contains("--secret-env NOT_SET_ANYWHERE: the variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void registers_from_a_manifest_then_lists_shows_and_versions_it() {
    Path manifest =
        Manifests.write(
            folder, "model.yaml", Manifests.detector("yaml detector", endpoint.uri().toString()));

    Cli.Result created = cli.run("models", "create", "-f", manifest.toString());

    assertThat(created.exit()).as(created.both()).isZero();
    assertThat(created.out()).startsWith("Registered yaml detector (mdl_");
    Cli.Result listed = cli.run("models", "list");
    assertThat(listed.out().lines().findFirst())
        .hasValueSatisfying(
            header -> assertThat(header).startsWith("ID").contains("NAME").contains("VERSION"));
    assertThat(listed.out()).contains("yaml detector");
    Cli.Result shown = cli.run("models", "show", "yaml detector");
    assertThat(shown.out())
        .contains("rate:        50 requests/s")
        .contains("features:    rectangle: cat; radio: label")
        .contains("confidence (number, default 0.25)");

    Cli.Result updated =
        cli.run(
            "models",
            "update",
            "yaml detector",
            "--data-type",
            "image",
            "--endpoint",
            endpoint.uri().toString());

    assertThat(updated.exit()).as(updated.both()).isZero();
    assertThat(updated.out()).contains("Made a new version of yaml detector").contains("version 2");
    assertThat(cli.run("models", "show", "yaml detector", "--versions").out())
        .contains("versions:")
        .containsPattern("(?m)^\\s+1\\s+mv_")
        .containsPattern("(?m)^\\s+2\\s+mv_");
  }

  @Test
  void a_bad_manifest_is_refused_with_the_file_line_and_column_of_each_problem() {
    Path manifest =
        Manifests.write(
            folder,
            "broken.yaml",
            """
            name: broken
            inference_endpoint: %s
            requests_per_second: fast
            """
                .formatted(endpoint.uri()));

    Cli.Result created = cli.run("models", "create", "-f", manifest.toString());

    assertThat(created.exit()).isEqualTo(1);
    assertThat(created.out()).isEmpty();
    assertThat(created.err())
        .startsWith("error: ")
        .contains(manifest + ":3:")
        .contains("requests_per_second: ")
        .contains("\"fast\"")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void apply_registers_then_leaves_an_unchanged_manifest_and_versions_a_changed_one() {
    Path manifest =
        Manifests.write(
            folder, "applied.yaml", Manifests.detector("applied", endpoint.uri().toString()));

    Cli.Result first = cli.run("models", "apply", "-f", manifest.toString());
    Cli.Result again = cli.run("models", "apply", "-f", manifest.toString());
    Manifests.write(
        folder,
        "applied.yaml",
        Manifests.detector("applied", endpoint.uri().toString()).replace("50", "25"));
    Cli.Result changed = cli.run("models", "apply", "-f", manifest.toString());

    assertThat(first.out()).startsWith("Registered applied (mdl_").contains("version 1");
    assertThat(again.out()).startsWith("Unchanged: applied (mdl_").contains("version 1");
    assertThat(changed.out()).startsWith("Made a new version of applied").contains("version 2");
  }

  @Test
  void test_shows_the_request_the_response_and_the_predictions_read_from_it() {
    Path manifest =
        Manifests.write(
            folder, "tested.yaml", Manifests.detector("tested", endpoint.uri().toString()));
    cli.run("models", "create", "-f", manifest.toString());

    Cli.Result tested =
        cli.run(
            "models",
            "test",
            "tested",
            "--row-data",
            "https://img.example.com/fish.jpg",
            "--param",
            "confidence=0.5");

    assertThat(tested.exit()).as(tested.both()).isZero();
    assertThat(tested.out())
        .contains("Request")
        .contains("POST " + endpoint.uri())
        .contains("Idempotency-Key: test_")
        .contains("\"confidence\" : 0.5")
        .contains("Response: 200 application/json in ")
        .contains("Predictions: 2")
        .contains("cat: box 20x10 at (4, 6), 0.90")
        .contains("label: goldfish")
        .contains("Outcome: succeeded");
    assertThat(endpoint.requests().getLast().body()).contains("\"confidence\":0.5");
  }

  @Test
  void a_parameter_outside_the_models_schema_is_refused_with_its_name() {
    Path manifest =
        Manifests.write(
            folder, "strict.yaml", Manifests.detector("strict", endpoint.uri().toString()));
    cli.run("models", "create", "-f", manifest.toString());

    Cli.Result tested =
        cli.run(
            "models",
            "test",
            "strict",
            "--row-data",
            "https://img.example.com/fish.jpg",
            "--param",
            "confidence=high");

    assertThat(tested.exit()).isEqualTo(1);
    assertThat(tested.err()).contains("confidence").contains("high");
  }

  @Test
  void an_unknown_model_is_named_in_the_error() {
    Cli.Result shown = cli.run("models", "show", "nobody");

    assertThat(shown.exit()).isEqualTo(1);
    assertThat(shown.err()).contains("no model is called \"nobody\"");
  }
}
