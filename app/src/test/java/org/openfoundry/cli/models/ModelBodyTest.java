package org.openfoundry.cli.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.problems.FoundryException;

class ModelBodyTest {
  private static final String MANIFEST =
      "name: detector\ninference_endpoint: https://models.example.com/predict";

  @Test
  void a_secret_from_a_variable_becomes_the_manifests_secrets_key_quoted_safely() {
    ModelBody body =
        ModelBody.manifest(MANIFEST, "model.yaml", Optional.of("p@ss: \"word\" # not a comment"));

    assertThat(body.text()).endsWith("\nsecrets: \"p@ss: \\\"word\\\" # not a comment\"\n");
    assertThat(new ManifestLoader().load("model.yaml", body.text()).manifest().secrets().primary())
        .contains("p@ss: \"word\" # not a comment");
    assertThat(body.toString()).doesNotContain("p@ss");
  }

  @Test
  void a_manifest_with_its_own_secrets_refuses_another_one() {
    assertThatThrownBy(
            () ->
                ModelBody.manifest(
                    MANIFEST + "\nsecrets: inline\n", "model.yaml", Optional.of("from-variable")))
        .isInstanceOf(FoundryException.class)
        .hasMessage(
            "model.yaml has its own secrets: remove them from the file or leave out --secret-env");
  }
}
