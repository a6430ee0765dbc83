package org.openfoundry.secrets;

import java.util.Arrays;

/**
 * A secret sealed by {@link SecretBox}: format byte, key id, 96-bit nonce, then the AES-GCM
 * ciphertext and tag. This is what the database holds; it shows nothing of the secret.
 */
public record SealedSecret(byte[] bytes) {
  public SealedSecret {
    if (bytes.length < SecretBox.HEADER_LENGTH + SecretBox.TAG_LENGTH) {
      throw new IllegalArgumentException(
          "a sealed secret is at least "
              + (SecretBox.HEADER_LENGTH + SecretBox.TAG_LENGTH)
              + " bytes, got "
              + bytes.length);
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The id of the master key that sealed it. */
  public int keyId() {
    return Byte.toUnsignedInt(bytes[1]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedSecret sealed && Arrays.equals(bytes, sealed.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SealedSecret[key " + keyId() + ", " + bytes.length + " bytes]";
  }
}
