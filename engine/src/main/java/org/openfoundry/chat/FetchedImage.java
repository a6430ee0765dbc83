package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The bytes behind an image URL and the content type the server declared. */
public record FetchedImage(byte[] bytes, Optional<String> contentType) {
  public FetchedImage {
    requireNonNull(bytes, "bytes is null");
    requireNonNull(contentType, "contentType is null");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }
}
