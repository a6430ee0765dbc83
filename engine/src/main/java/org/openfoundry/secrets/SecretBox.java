package org.openfoundry.secrets;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openfoundry.models.SecretValue;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * Seals and opens secrets with AES-256-GCM under the master key: a fresh random 96-bit nonce per
 * secret, and associated data (the owner's id) so a sealed secret copied onto another owner does
 * not open.
 */
public final class SecretBox {
  static final byte FORMAT = 1;
  static final int NONCE_LENGTH = 12;
  static final int HEADER_LENGTH = 2 + NONCE_LENGTH;
  static final int TAG_LENGTH = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final MasterKey key;
  private final SecretKeySpec keySpec;
  private final SecureRandom random;

  public SecretBox(MasterKey key, SecureRandom random) {
    this.key = requireNonNull(key, "key is null");
    this.random = requireNonNull(random, "random is null");
    this.keySpec = new SecretKeySpec(key.bytes(), "AES");
  }

  /** Encrypts the secret, bound to {@code owner} (for a model secret, the model id). */
  public SealedSecret seal(SecretValue secret, String owner) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
      byte[] ciphertext = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
      return new SealedSecret(
          ByteBuffer.allocate(HEADER_LENGTH + ciphertext.length)
              .put(FORMAT)
              .put((byte) key.id())
              .put(nonce)
              .put(ciphertext)
              .array());
    } catch (GeneralSecurityException e) {
      throw new FoundryException(ErrorCode.INTERNAL, "cannot seal a secret: " + e, List.of(), e);
    }
  }

  /** Decrypts a secret sealed for {@code owner}; fails when the key or the owner differs. */
  public SecretValue open(SealedSecret secret, String owner) {
    byte[] bytes = secret.bytes();
    if (bytes[0] != FORMAT) {
      throw new FoundryException(
          ErrorCode.INTERNAL, "sealed secret of " + owner + " has unknown format " + bytes[0]);
    }
    if (secret.keyId() != key.id()) {
      throw new FoundryException(
          ErrorCode.INTERNAL,
          "the secret of "
              + owner
              + " was sealed under master key "
              + secret.keyId()
              + ", but the loaded master key is "
              + key.id());
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          keySpec,
          new GCMParameterSpec(TAG_LENGTH * 8, bytes, 2, NONCE_LENGTH));
      cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
      return new SecretValue(new String(plain, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new FoundryException(
          ErrorCode.INTERNAL,
          "cannot open the secret of "
              + owner
              + ": the master key is not the one it was sealed with, or the data was altered",
          List.of(),
          e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[" + key + "]";
  }
}
