package org.openfoundry.chat;

import java.net.URI;

/**
 * Fetches an image by URL under the platform's outbound rules (the same as model calls). An
 * implementation stops reading past {@code maxBytes} and throws a {@link
 * org.openfoundry.problems.FoundryException} ({@code PAYLOAD_TOO_LARGE}, {@code OUTBOUND_BLOCKED},
 * {@code UNAVAILABLE}) when it cannot deliver.
 */
@FunctionalInterface
public interface ImageFetcher {
  FetchedImage fetch(URI url, long maxBytes);
}
