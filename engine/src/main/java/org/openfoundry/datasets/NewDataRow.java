package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.json.Surrogates;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;

/**
 * A data row to import. {@code line} is where it came from in the import (1-based), so that an
 * error about it can point there.
 */
public record NewDataRow(
    long line,
    Optional<String> globalKey,
    String rowData,
    AssetType mediaType,
    JsonNode attachments,
    JsonNode metadata) {

  /** The most characters (code points) {@code row_data} may hold, inline text or URL. */
  public static final int MAX_ROW_DATA_CHARS = 65_536;

  public NewDataRow {
    requireNonNull(globalKey, "globalKey is null");
    requireNonNull(rowData, "rowData is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(attachments, "attachments is null");
    requireNonNull(metadata, "metadata is null");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1, got " + line);
    }
    if (rowData.isEmpty()) {
      throw new IllegalArgumentException("row_data: expected a URL or text, got an empty string");
    }
    // The databases' CHECK counts characters, not the UTF-16 units String.length() does.
    int characters = rowData.codePointCount(0, rowData.length());
    if (characters > MAX_ROW_DATA_CHARS) {
      throw new IllegalArgumentException(
          "row_data: expected at most " + MAX_ROW_DATA_CHARS + " characters, got " + characters);
    }
    if (globalKey.isPresent() && globalKey.get().isBlank()) {
      throw new IllegalArgumentException("global_key: expected a non-blank key or none");
    }
    int nul = rowData.indexOf('\u0000');
    if (nul >= 0) {
      throw new IllegalArgumentException(
          "row_data: contains the NUL character (U+0000) at index "
              + nul
              + ", which cannot be stored");
    }
    if (globalKey.isPresent() && globalKey.get().indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "global_key: contains the NUL character (U+0000), which cannot be stored");
    }
    // JSON's "\ud800" escape makes half a character; the databases would store it as "?".
    globalKey.ifPresent(key -> refuseUnpairedSurrogate("global_key", key));
    refuseUnpairedSurrogate("row_data", rowData);
    refuseUnpairedSurrogates("attachments", attachments);
    refuseUnpairedSurrogates("metadata", metadata);
  }

  private static void refuseUnpairedSurrogates(String path, JsonNode node) {
    Surrogates.firstUnpaired(path, node).ifPresent(NewDataRow::refuse);
  }

  private static void refuseUnpairedSurrogate(String path, String text) {
    Surrogates.firstUnpaired(path, text).ifPresent(NewDataRow::refuse);
  }

  private static void refuse(Problem problem) {
    throw new IllegalArgumentException(problem.path() + ": " + problem.message());
  }
}
