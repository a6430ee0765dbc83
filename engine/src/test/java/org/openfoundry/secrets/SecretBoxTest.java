package org.openfoundry.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openfoundry.models.SecretValue;
import org.openfoundry.problems.FoundryException;

class SecretBoxTest {
  private final SecureRandom random = new SecureRandom();
  private final SecretBox box = new SecretBox(MasterKey.generate(random), random);

  @Test
  void opens_what_it_sealed_for_the_same_owner() {
    SealedSecret sealed = box.seal(new SecretValue("sk-123"), "mdl_A");

    assertThat(box.open(sealed, "mdl_A").reveal()).isEqualTo("sk-123");
  }

  @Test
  void writes_the_format_the_key_id_and_a_fresh_nonce_and_never_the_secret() {
    SecretValue secret = new SecretValue("sk-the-same-secret");
    byte[] first = box.seal(secret, "mdl_A").bytes();
    byte[] second = box.seal(secret, "mdl_A").bytes();

    assertThat(first[0]).isEqualTo(SecretBox.FORMAT);
    assertThat(Byte.toUnsignedInt(first[1])).isEqualTo(1);
    assertThat(Arrays.copyOfRange(first, 2, 14)).isNotEqualTo(Arrays.copyOfRange(second, 2, 14));
    assertThat(first).isNotEqualTo(second);
    assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("sk-the-same");
    assertThat(first).hasSize(2 + 12 + secret.reveal().length() + 16);
  }

  @Test
  void refuses_a_secret_moved_onto_another_owner() {
    SealedSecret sealed = box.seal(new SecretValue("sk-123"), "mdl_A");

    assertThatThrownBy(() -> box.open(sealed, "mdl_B"))
        .isInstanceOf(FoundryException.class)
        .hasMessageContaining("mdl_B");
  }

  @Test
  void refuses_a_secret_whose_bytes_were_altered() {
    byte[] bytes = box.seal(new SecretValue("sk-123"), "mdl_A").bytes();
    bytes[bytes.length - 1] ^= 1;

    assertThatThrownBy(() -> box.open(new SealedSecret(bytes), "mdl_A"))
        .isInstanceOf(FoundryException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void refuses_a_secret_sealed_under_another_key() {
    SecretBox other = new SecretBox(MasterKey.generate(random), random);
    SealedSecret sealed = other.seal(new SecretValue("sk-123"), "mdl_A");

    assertThatThrownBy(() -> box.open(sealed, "mdl_A")).isInstanceOf(FoundryException.class);
  }

  @Test
  void shows_no_secret_in_its_strings() {
    SealedSecret sealed = box.seal(new SecretValue("sk-123"), "mdl_A");

    assertThat(sealed.toString()).doesNotContain("sk-123").contains("key 1");
    assertThat(box.toString()).doesNotContain(Arrays.toString(sealed.bytes()));
  }
}
