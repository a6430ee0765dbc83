package org.openfoundry.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretValueTest {
  private static final String SECRET = "sk-live-0123456789?>";
  private final SecretValue secret = new SecretValue(SECRET);

  @Test
  void masks_the_secret_as_it_is_and_behind_its_scheme() {
    assertThat(secret.redact("{\"echo\": \"Authorization: Bearer " + SECRET + "\"}"))
        .isEqualTo("{\"echo\": \"Authorization: Bearer ****\"}");
  }

  @Test
  void masks_the_secret_in_base64_standard_and_url_safe_padded_or_not() {
    byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
    String standard = Base64.getEncoder().encodeToString(bytes);
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThat(standard).isNotEqualTo(urlSafe);
    assertThat(secret.redact("a " + standard + " b " + urlSafe + " c"))
        .isEqualTo("a **** b **** c");
  }

  @Test
  void masks_the_base64_of_the_whole_authorization_value() {
    String header =
        Base64.getEncoder().encodeToString(("Bearer " + SECRET).getBytes(StandardCharsets.UTF_8));

    assertThat(secret.redact("{\"seen\": \"" + header + "\"}")).isEqualTo("{\"seen\": \"****\"}");
  }

  @Test
  void masks_the_first_part_of_a_secret_at_the_end_of_a_cut_off_text() {
    assertThat(secret.redactCut("error: Bearer " + SECRET.substring(0, 6)))
        .isEqualTo("error: Bearer ****");
    assertThat(secret.redactCut("error: sk-")).isEqualTo("error: sk-");
    assertThat(secret.redactCut("whole " + SECRET)).isEqualTo("whole ****");
  }

  @Test
  void never_shows_itself_in_its_string_form() {
    assertThat(secret.toString()).doesNotContain(SECRET);
  }
}
