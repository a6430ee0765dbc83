package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.util.Base64;

/**
 * An image carried inline: its media type ({@code image/png}) and its bytes as standard base64
 * without line breaks, the form every vendor format takes.
 */
public record ImagePart(String mediaType, String data) implements Part {
  public ImagePart {
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(data, "data is null");
    if (!mediaType.startsWith("image/")) {
      throw new IllegalArgumentException("expected an image media type, got " + mediaType);
    }
  }

  public static ImagePart of(String mediaType, byte[] bytes) {
    return new ImagePart(mediaType, Base64.getEncoder().encodeToString(bytes));
  }

  /** The decoded image. */
  public byte[] bytes() {
    return Base64.getDecoder().decode(data);
  }

  /** {@code data:image/png;base64,...}: how chat APIs that take URLs take inline images. */
  public String dataUrl() {
    return "data:" + mediaType + ";base64," + data;
  }

  @Override
  public long size() {
    int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
    return (long) data.length() / 4 * 3 - padding;
  }

  @Override
  public String toString() {
    return "ImagePart[mediaType=" + mediaType + ", bytes=" + size() + "]";
  }
}
