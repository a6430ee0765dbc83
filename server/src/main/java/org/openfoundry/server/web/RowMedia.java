package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.server.files.FileStore;
import org.openfoundry.server.files.UrlSigner;

/**
 * Where a page finds a data row's picture or text: a stored file through a fresh signed URL (a path
 * on this server, so it works under any host name), a web URL as it is, text as it is.
 */
final class RowMedia {
  private final UrlSigner signer;

  RowMedia(UrlSigner signer) {
    this.signer = requireNonNull(signer, "signer is null");
  }

  /** The URL to show an image row with; empty for other rows and for data that is no URL. */
  Optional<String> imageUrl(DataRow row) {
    if (row.mediaType() != AssetType.IMAGE) {
      return Optional.empty();
    }
    return url(row.rowData());
  }

  /** A URL for row data that is a stored file or a web address. */
  Optional<String> url(String rowData) {
    Optional<String> stored = FileStore.referencedName(rowData);
    if (stored.isPresent()) {
      URI signed = signer.sign(stored.get());
      return Optional.of(signed.getRawPath() + "?" + signed.getRawQuery());
    }
    if (rowData.startsWith("https://") || rowData.startsWith("http://")) {
      return Optional.of(rowData);
    }
    return Optional.empty();
  }

  /** Whether the row's text is the row data itself (not a file or URL to fetch it from). */
  static boolean isInlineText(DataRow row) {
    return FileStore.referencedName(row.rowData()).isEmpty()
        && !row.rowData().startsWith("https://")
        && !row.rowData().startsWith("http://");
  }

  /** The first {@code limit} characters, with an ellipsis when there was more. */
  static String preview(String text, int limit) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= limit ? flat : flat.substring(0, limit - 1) + "\u2026";
  }
}
