package org.openfoundry.chat;

import java.util.Locale;
import java.util.Optional;

/** Recognises an image's format from its first bytes, which are more reliable than its label. */
public final class ImageMediaTypes {
  private ImageMediaTypes() {}

  /** {@code image/png}, {@code image/jpeg}, {@code image/gif} or {@code image/webp}, or empty. */
  public static Optional<String> sniff(byte[] bytes) {
    if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of("image/png");
    }
    if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of("image/jpeg");
    }
    if (startsWith(bytes, 0, 'G', 'I', 'F', '8')) {
      return Optional.of("image/gif");
    }
    if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of("image/webp");
    }
    return Optional.empty();
  }

  /** A declared media type without parameters, lower case: {@code image/png; x=y} is image/png. */
  public static String normalize(String declared) {
    int semicolon = declared.indexOf(';');
    String bare = semicolon < 0 ? declared : declared.substring(0, semicolon);
    return bare.trim().toLowerCase(Locale.ROOT);
  }

  private static boolean startsWith(byte[] bytes, int offset, int... expected) {
    if (bytes.length < offset + expected.length) {
      return false;
    }
    for (int index = 0; index < expected.length; index++) {
      if ((bytes[offset + index] & 0xFF) != expected[index]) {
        return false;
      }
    }
    return true;
  }
}
