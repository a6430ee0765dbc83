package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An image named by URL, with the media type its source declared if any. A run with {@code
 * use_attachments} fetches and inlines it; otherwise it is passed on to vendors that take URLs.
 */
public record ImageUrlPart(URI url, Optional<String> mediaType) implements Part {
  public ImageUrlPart {
    requireNonNull(url, "url is null");
    requireNonNull(mediaType, "mediaType is null");
  }

  @Override
  public long size() {
    return url.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
