package org.openfoundry.server.files;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs file URLs with HMAC-SHA256 over the file name and the expiry, so that a model can fetch one
 * file for a short while without any platform credential, and nobody can forge or extend it.
 */
public final class UrlSigner {
  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;
  private final Supplier<URI> publicUrl;

  /** {@code publicUrl} is asked at each signing: the port is known only once the server listens. */
  public UrlSigner(byte[] key, Clock clock, Duration ttl, Supplier<URI> publicUrl) {
    if (requireNonNull(key, "key is null").length < 32) {
      throw new IllegalArgumentException("the signing key must have at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clock = requireNonNull(clock, "clock is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
  }

  /** A URL for the file that expires {@code ttl} from now. */
  public URI sign(String name) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    String base = publicUrl.get().toString().replaceAll("/+$", "");
    return URI.create(
        base + "/files/" + name + "?expires=" + expires + "&signature=" + signature(name, expires));
  }

  /** Whether the signature is the one for this name and expiry, and the expiry is still ahead. */
  public boolean verify(String name, String expires, String signature) {
    if (name == null || expires == null || signature == null) {
      return false;
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires);
    } catch (NumberFormatException malformed) {
      return false;
    }
    boolean authentic =
        MessageDigest.isEqual(
            signature(name, expiresAt).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
    return authentic && clock.instant().isBefore(Instant.ofEpochSecond(expiresAt));
  }

  private String signature(String name, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal((name + "\n" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
      throw new IllegalStateException("every JDK has HmacSHA256", impossible);
    }
  }
}
