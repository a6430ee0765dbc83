package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretLinesTest {

  @Test
  void masks_a_secret_on_the_secrets_line() {
    assertThat(SecretLines.mask("name: m\nsecrets: sk-live-1\nreadme: hi"))
        .isEqualTo("name: m\nsecrets: ****\nreadme: hi");
  }

  @Test
  void masks_every_line_under_the_secrets_key_and_keeps_the_line_count() {
    String yaml =
        """
        name: m
        secrets:
          api: "sk-live-1"
          other: >
            sk-live-2
        - sk-live-3

        readme: keep me
        """;

    assertThat(SecretLines.mask(yaml))
        .isEqualTo(
            """
            name: m
            secrets:
              api: ****
              other: ****
                ****
            - ****

            readme: keep me
            """)
        .doesNotContain("sk-live");
  }

  @Test
  void masks_a_flow_mapping_and_a_secrets_key_inside_a_flow_document() {
    assertThat(SecretLines.mask("secrets: {api: sk-live-1,\n  other: sk-live-2}\nname: m"))
        .isEqualTo("secrets: ****\n  other: ****\nname: m");
    assertThat(SecretLines.mask("{name: m, secrets: sk-live-1}"))
        .isEqualTo("{name: m, secrets: ****");
  }

  @Test
  void leaves_a_manifest_without_secrets_as_it_is() {
    String yaml = "name: m\ninference_endpoint: https://models.example.com\n";

    assertThat(SecretLines.mask(yaml)).isEqualTo(yaml);
  }
}
