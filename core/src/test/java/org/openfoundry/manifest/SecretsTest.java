package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private final Secrets secrets =
      new Secrets(
          List.of(
              new Secret(Optional.of("api_key"), "sk-live-123"),
              new Secret(Optional.of("webhook"), "wh-456")));

  @Test
  void masks_every_value_when_printed() {
    assertThat(secrets.toString())
        .isEqualTo("Secrets[2 secrets, masked]")
        .doesNotContain("sk-live");
    assertThat(secrets.entries().getFirst().toString())
        .isEqualTo("Secret[name=api_key, value=****]");
    assertThat(Secrets.of("sk-live-123").entries().toString()).doesNotContain("sk-live");
  }

  @Test
  void sends_the_first_secret_and_finds_the_others_by_name() {
    assertThat(secrets.primary()).contains("sk-live-123");
    assertThat(secrets.named("webhook")).contains("wh-456");
    assertThat(secrets.named("missing")).isEmpty();
    assertThat(Secrets.none().primary()).isEmpty();
  }

  @Test
  void refuses_a_blank_secret_a_line_break_and_a_name_used_twice() {
    assertThatThrownBy(() -> Secrets.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Secrets.of("a\r\nInjected: header"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Secrets(
                    List.of(
                        new Secret(Optional.of("key"), "a"), new Secret(Optional.of("key"), "b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("a,");
  }
}
